//! OAuth (docs/graph-api.md §7): the login dialog (redirects back with `code` and `state`), the code
//! exchange, `fb_exchange_token`, `client_credentials`, and `debug_token`.

use super::auth::TokenKind;
use super::ctx::Ctx;
use super::errors::ApiError;
use super::ids::Kind;
use super::request::Resp;
use serde_json::json;

fn check_client(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.params.get("client_id") != Some(ctx.sim.cfg.app_id.as_str()) {
        return Err(ApiError::new(101, "Error validating application. Invalid application ID."));
    }
    if ctx.params.get("client_secret") != Some(ctx.sim.cfg.app_secret.as_str()) {
        return Err(ApiError::new(1, "Error validating client secret."));
    }
    Ok(())
}

/// `GET /dialog/oauth`: the user "approves" at once and is sent back with a code.
/// Simulator extension: `sim_outcome=deny` sends the user back as if they declined.
pub(crate) fn dialog(ctx: &Ctx<'_>) -> Result<Resp, ApiError> {
    if ctx.params.get("client_id") != Some(ctx.sim.cfg.app_id.as_str()) {
        return Err(ApiError::new(101, "Error validating application. Invalid application ID."));
    }
    let Some(redirect) = ctx.params.get("redirect_uri").filter(|r| r.starts_with("http")) else {
        return Err(ApiError::new(191, "(#191) The redirect_uri URL must be absolute"));
    };
    let state = ctx.params.get("state").unwrap_or_default();
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let query = if ctx.params.get("sim_outcome") == Some("deny") {
        serde_urlencoded::to_string([
            ("error", "access_denied"),
            ("error_code", "200"),
            ("error_description", "Permissions error"),
            ("error_reason", "user_denied"),
            ("state", state),
        ])
    } else {
        let mut tokens = ctx.sim.tokens();
        let code = tokens.issue_code(ctx.sim.cfg.seed, redirect);
        // The user grants what `scope` asks for; the code's token carries exactly that.
        if let (Some(c), Some(scope)) = (tokens.codes.get_mut(&code), ctx.params.get("scope")) {
            c.scopes =
                Some(scope.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect());
        }
        drop(tokens);
        serde_urlencoded::to_string([("code", code.as_str()), ("state", state)])
    }
    .unwrap_or_default();
    let mut r = Resp::json(String::new());
    r.status = 302;
    r.content_type = "text/html; charset=utf-8";
    // Facebook appends an empty `#_=_` fragment to the redirect.
    r.headers.push(("Location".to_string(), format!("{redirect}{sep}{query}#_=_")));
    Ok(r)
}

/// `GET|POST /oauth/access_token`.
pub(crate) fn access_token(ctx: &Ctx<'_>) -> Result<Resp, ApiError> {
    let sim = ctx.sim;
    let now = sim.now().timestamp();
    let ttl = sim.cfg.user_token_ttl.as_secs() as i64;
    match (ctx.params.get("grant_type"), ctx.params.get("code")) {
        (Some("client_credentials"), _) => {
            check_client(ctx)?;
            // App tokens look like `{app-id}|{opaque}`.
            let mut tokens = sim.tokens();
            let t = tokens.issue(sim.cfg.seed, TokenKind::App, now, None, 0);
            let info = tokens.tokens.remove(&t);
            let token = format!("{}|{}", sim.cfg.app_id, &t[3..40]);
            if let Some(info) = info {
                tokens.tokens.insert(token.clone(), info);
            }
            Ok(Resp::json(json!({"access_token": token, "token_type": "bearer"}).to_string()))
        }
        (Some("fb_exchange_token"), _) => {
            check_client(ctx)?;
            let short = ctx.params.get("fb_exchange_token").unwrap_or_default();
            let info = sim.tokens().check(short, now, &sim.cfg.app_id, &sim.cfg.app_secret)?;
            if info.kind == TokenKind::App {
                return Err(ApiError::invalid("fb_exchange_token must be a user access token"));
            }
            let mut tokens = sim.tokens();
            let t = tokens.issue(sim.cfg.seed, TokenKind::User, now, Some(ttl), info.user_index.max(1));
            // A long-lived token keeps the permissions of the token it was exchanged from.
            if let Some(new) = tokens.tokens.get_mut(&t) {
                new.scopes = info.scopes;
            }
            Ok(Resp::json(json!({"access_token": t, "token_type": "bearer", "expires_in": ttl}).to_string()))
        }
        (_, Some(code)) => {
            check_client(ctx)?;
            let redirect = ctx.params.get("redirect_uri").unwrap_or_default();
            let mut tokens = sim.tokens();
            let Some(c) = tokens.codes.get_mut(code) else {
                return Err(ApiError::invalid("Invalid verification code format."));
            };
            if c.used {
                return Err(ApiError::invalid("This authorization code has been used.").sub(36009));
            }
            if c.redirect_uri != redirect {
                return Err(ApiError::invalid(
                    "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
                )
                .sub(36008));
            }
            c.used = true;
            let scopes = c.scopes.clone();
            let t = tokens.issue(sim.cfg.seed, TokenKind::User, now, Some(ttl), 1);
            if let Some(new) = tokens.tokens.get_mut(&t) {
                new.scopes = scopes;
            }
            Ok(Resp::json(json!({"access_token": t, "token_type": "bearer", "expires_in": ttl}).to_string()))
        }
        _ => Err(ApiError::invalid("Missing grant_type, code or fb_exchange_token")),
    }
}

/// `GET /debug_token?input_token=…` (called with an app token).
pub(crate) fn debug_token(ctx: &Ctx<'_>) -> Result<Resp, ApiError> {
    let sim = ctx.sim;
    let now = sim.now().timestamp();
    let caller = ctx.req.bearer.clone().or_else(|| ctx.params.get("access_token").map(str::to_string));
    let Some(caller) = caller else {
        return Err(ApiError::new(104, "An access token is required to request this resource."));
    };
    sim.tokens().check(&caller, now, &sim.cfg.app_id, &sim.cfg.app_secret)?;
    let input = ctx.params.get("input_token").unwrap_or_default();
    let found = sim.tokens().tokens.get(input).cloned();
    let user_id = |i: u64| sim.world().ids.str(Kind::User, i as usize);
    const APP_SCOPES: [&str; 4] = ["ads_read", "ads_management", "business_management", "read_insights"];
    let data = match (found, sim.tokens().check(input, now, &sim.cfg.app_id, &sim.cfg.app_secret)) {
        (Some(t), result) => {
            let scopes: Vec<String> =
                t.scopes.clone().unwrap_or_else(|| APP_SCOPES.iter().map(|s| s.to_string()).collect());
            let granular: Vec<_> = scopes
                .iter()
                .filter(|s| *s == "ads_read" || *s == "business_management")
                .map(|s| match s.as_str() {
                    "business_management" => json!({"scope": s, "target_ids": sim.business_ids()}),
                    _ => json!({"scope": s}),
                })
                .collect();
            let mut d = json!({
                "app_id": sim.cfg.app_id,
                "type": match t.kind { TokenKind::SystemUser => "SYSTEM_USER", TokenKind::User => "USER", TokenKind::App => "APP" },
                "application": "Graph API Simulator",
                "data_access_expires_at": t.expires.map_or(0, |e| e + 90 * 86_400),
                "expires_at": t.expires.unwrap_or(0),
                "is_valid": result.is_ok(),
                "issued_at": t.issued,
                "scopes": scopes,
                "granular_scopes": granular,
                "user_id": user_id(t.user_index),
            });
            if let Err(e) = result {
                d["error"] = json!({"code": e.code, "message": e.message, "subcode": e.subcode});
            }
            d
        }
        (None, _) => json!({
            "app_id": sim.cfg.app_id,
            "is_valid": false,
            "scopes": [],
            "error": {"code": 190, "message": "Invalid OAuth access token - Cannot parse access token"},
        }),
    };
    Ok(Resp::json(json!({ "data": data }).to_string()))
}
