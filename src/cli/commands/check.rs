//! `check`: tries the configuration without syncing — the API version, the warehouse (reachable,
//! migrated), the token (`debug_token`, docs/graph-api.md §7: validity, expiry, scopes) and every
//! configured or discovered ad account (one cheap GET each, all in one Graph batch). One line per
//! check; the exit code is 0 only when every check passes.

use chrono::{DateTime, NaiveDate, Utc};
use secrecy::ExposeSecret;
use serde_json::Value;

use super::CommandError;
use super::sync::client;
use crate::cli::exit;
use crate::config::{Config, VersionStatus, version_of, version_status};
use crate::graph::{GraphError, GraphRequest};
use crate::ids::AccountId;

/// Permissions a sync needs (docs/graph-api.md §7): `ads_read` for the ads objects,
/// `read_insights` for their insights.
pub const REQUIRED_SCOPES: [&str; 2] = ["ads_read", "read_insights"];

/// A token expiring sooner than this passes with a warning in its line.
const EXPIRY_WARNING_DAYS: i64 = 7;

/// Accounts asked for when none are configured: the first page of `/me/adaccounts`.
const DISCOVERY_PAGE: &str = "100";

/// The outcome of one check: passed or not, and one line of text (with the fix when failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Whether the check passed.
    pub ok: bool,
    /// What was checked and what was found; for a failure, what to do.
    pub line: String,
}

impl Check {
    fn pass(line: impl Into<String>) -> Self {
        Self { ok: true, line: line.into() }
    }

    fn fail(line: impl Into<String>) -> Self {
        Self { ok: false, line: line.into() }
    }
}

/// Runs every check, prints one line each, and returns the exit code: 0 when all pass, else 1.
pub async fn run(cfg: &Config) -> Result<u8, CommandError> {
    let mut checks = vec![version_check(&cfg.meta.base_url, Utc::now().date_naive())];
    checks.push(warehouse_check(cfg).await);
    checks.extend(graph_checks(cfg).await);
    print!("{}", render(&checks));
    Ok(if checks.iter().all(|c| c.ok) { exit::OK } else { exit::PARTIAL_FAILURE })
}

/// The checks as text, one `✓`/`✗` line each (pure, for tests).
pub fn render(checks: &[Check]) -> String {
    checks.iter().map(|c| format!("{} {}\n", if c.ok { "✓" } else { "✗" }, c.line)).collect()
}

/// The configured API version is one Meta still serves (docs/graph-api.md §9).
pub fn version_check(base_url: &str, today: NaiveDate) -> Check {
    let Some(version) = version_of(base_url) else {
        return Check::fail(format!(
            "API version: meta.base_url {base_url:?} ends in no version; use a versioned root such as {}",
            crate::config::DEFAULT_BASE_URL
        ));
    };
    match version_status(version, today) {
        VersionStatus::Current => Check::pass(format!("API version {version} is served")),
        VersionStatus::RetiresSoon(d) => Check::pass(format!(
            "API version {version} is served (retires on {d}: move meta.base_url before then)"
        )),
        VersionStatus::Retired(d) => Check::fail(format!(
            "API version {version} was retired on {d}: set meta.base_url to a served version (e.g. {})",
            crate::config::DEFAULT_BASE_URL
        )),
        VersionStatus::Unknown => Check::fail(format!(
            "API version {version} is not one this build knows: check meta.base_url (default {})",
            crate::config::DEFAULT_BASE_URL
        )),
    }
}

/// The warehouse opens and has no pending migration. Reads only; never migrates.
async fn warehouse_check(cfg: &Config) -> Check {
    let url = cfg.warehouse.url.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let wh = super::open_warehouse(&url).map_err(|e| e.message)?;
        let pending = wh.pending_migrations().map_err(|e| format!("{}: {e}", wh.location()))?;
        Ok::<_, String>((wh.location().to_string(), pending))
    })
    .await
    .unwrap_or_else(|e| Err(format!("warehouse task: {e}")));
    warehouse_line(outcome)
}

/// The warehouse line for a connection outcome and its pending migrations (pure).
pub fn warehouse_line(outcome: Result<(String, Vec<String>), String>) -> Check {
    match outcome {
        Err(e) => Check::fail(format!("warehouse unreachable: {e} (check warehouse.url)")),
        Ok((location, pending)) if pending.is_empty() => {
            Check::pass(format!("warehouse {location} is reachable and migrated"))
        }
        Ok((location, pending)) => Check::fail(format!(
            "warehouse {location} has {} pending migration(s): {}; run `meta-ads-sync migrate`",
            pending.len(),
            pending.join(", ")
        )),
    }
}

/// The token and account checks: `debug_token` and one GET per account, in one batch.
async fn graph_checks(cfg: &Config) -> Vec<Check> {
    let Some(token) = cfg.meta.access_token.as_ref() else {
        return vec![Check::fail(
            "token: meta.access_token is not set: export META_ACCESS_TOKEN=<system-user or long-lived token>",
        )];
    };
    let client = match client(cfg) {
        Ok(c) => c,
        Err(e) => return vec![Check::fail(format!("token: {}", e.message))],
    };
    let (accounts, listing) = match configured_or_discovered(cfg, &client).await {
        Ok(a) => (a, None),
        Err(e) => (Vec::new(), Some(Check::fail(format!("accounts: cannot list them: {e}")))),
    };
    // The token to inspect travels in the batch's POST body, never in a URL.
    let mut reqs = vec![GraphRequest::get("debug_token").param("input_token", token.expose_secret())];
    reqs.extend(
        accounts.iter().map(|a| {
            GraphRequest::get(a.node()).param("fields", "id,name,account_status").account(a.as_str())
        }),
    );
    let mut answers = client.batch(reqs).await.into_iter();
    let mut checks = vec![match answers.next() {
        Some(Ok(v)) => token_line(&v, Utc::now()),
        Some(Err(e)) => token_error_line(&e),
        None => Check::fail("token: the batch came back without an answer for debug_token"),
    }];
    if let Some(failed) = listing {
        checks.push(failed);
    } else if accounts.is_empty() {
        checks.push(Check::fail(
            "accounts: the token reaches no ad account: grant its user access in Business Manager, or set sync.accounts",
        ));
    }
    for (account, answer) in accounts.iter().zip(answers) {
        checks.push(account_line(account, &answer));
    }
    checks
}

/// `sync.accounts`, else the first page of what `/me/adaccounts` lists.
async fn configured_or_discovered(
    cfg: &Config,
    client: &crate::graph::GraphClient,
) -> Result<Vec<AccountId>, GraphError> {
    if !cfg.sync.accounts.is_empty() {
        return Ok(cfg.sync.accounts.clone());
    }
    let page = client
        .call(
            &GraphRequest::get("me/adaccounts").param("fields", "account_id").param("limit", DISCOVERY_PAGE),
        )
        .await?;
    Ok(page["data"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r["account_id"].as_str().or(r["id"].as_str()))
                .filter_map(|id| AccountId::parse(id).ok())
                .collect()
        })
        .unwrap_or_default())
}

/// The token line for a `debug_token` answer (pure): invalid, expired, missing scopes, or ok.
pub fn token_line(answer: &Value, now: DateTime<Utc>) -> Check {
    let data = &answer["data"];
    if data["is_valid"].as_bool() != Some(true) {
        let why = data["error"]["message"].as_str().unwrap_or("Meta says it is not valid");
        return Check::fail(format!("token is invalid: {why}; issue a new token and set META_ACCESS_TOKEN"));
    }
    let expires_at = data["expires_at"].as_i64().unwrap_or(0);
    if expires_at != 0 && expires_at <= now.timestamp() {
        return Check::fail("token has expired: issue a new token and set META_ACCESS_TOKEN");
    }
    let scopes: Vec<&str> =
        data["scopes"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let missing: Vec<&str> = REQUIRED_SCOPES.iter().copied().filter(|s| !scopes.contains(s)).collect();
    if !missing.is_empty() {
        return Check::fail(format!(
            "token lacks the permission(s) {}: re-authorize granting {}",
            missing.join(", "),
            REQUIRED_SCOPES.join(", ")
        ));
    }
    let kind = data["type"].as_str().unwrap_or("token");
    let expiry = if expires_at == 0 {
        "never expires".to_string()
    } else {
        let days = (expires_at - now.timestamp()) / 86_400;
        let at = DateTime::from_timestamp(expires_at, 0).unwrap_or_default().format("%Y-%m-%d");
        if days < EXPIRY_WARNING_DAYS {
            format!("expires on {at}, in {days} day(s): renew it soon")
        } else {
            format!("expires on {at}")
        }
    };
    Check::pass(format!("token is valid ({kind}, {expiry}; scopes include {})", REQUIRED_SCOPES.join(", ")))
}

/// The token line when the call itself failed (an expired or revoked token fails every call).
fn token_error_line(e: &GraphError) -> Check {
    match e {
        GraphError::NeedsReauth { reason, .. } => {
            Check::fail(format!("token is not usable: {reason}; issue a new token and set META_ACCESS_TOKEN"))
        }
        other => Check::fail(format!("token: debug_token failed: {other}")),
    }
}

/// One account's line for its GET's answer (pure).
pub fn account_line(account: &AccountId, answer: &Result<Value, GraphError>) -> Check {
    match answer {
        Ok(v) => {
            let name = v["name"].as_str().map(|n| format!(" ({n})")).unwrap_or_default();
            Check::pass(format!("account {}{name} is reachable", account.node()))
        }
        Err(e) => Check::fail(format!(
            "account {} is not reachable with this token: {e}; give the token's user access to it in \
             Business Manager, or remove it from sync.accounts",
            account.node()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(unix: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(unix, 0).unwrap()
    }

    #[test]
    fn token_lines() {
        let now = at(1_800_000_000);
        let data = |v: Value| json!({ "data": v });
        let all = json!(["ads_read", "read_insights"]);
        let cases = [
            (
                json!({"is_valid": true, "type": "SYSTEM_USER", "expires_at": 0, "scopes": all}),
                true,
                "never expires",
            ),
            (
                json!({"is_valid": true, "type": "USER", "expires_at": 1_800_000_000 + 2 * 86_400, "scopes": all}),
                true,
                "in 2 day(s): renew it soon",
            ),
            (
                json!({"is_valid": true, "expires_at": 1_799_999_000, "scopes": all}),
                false,
                "token has expired",
            ),
            (
                json!({"is_valid": false, "error": {"code": 190, "message": "Session has expired"}}),
                false,
                "token is invalid: Session has expired",
            ),
            (
                json!({"is_valid": true, "expires_at": 0, "scopes": ["ads_management"]}),
                false,
                "lacks the permission(s) ads_read, read_insights",
            ),
            (json!({}), false, "token is invalid"),
        ];
        for (v, ok, want) in cases {
            let c = token_line(&data(v.clone()), now);
            assert_eq!(c.ok, ok, "{v}: {}", c.line);
            assert!(c.line.contains(want), "{v}: {}", c.line);
        }
    }

    #[test]
    fn version_and_warehouse_lines() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(version_check("https://graph.facebook.com/v26.0", today).ok);
        assert!(!version_check("https://graph.facebook.com/v18.0", today).ok);
        assert!(!version_check("https://graph.facebook.com/v99.0", today).ok);
        assert!(!version_check("https://graph.facebook.com", today).ok);
        assert!(warehouse_line(Ok(("sqlite://a.db".into(), vec![]))).ok);
        let c = warehouse_line(Ok(("sqlite://a.db".into(), vec!["m1".into(), "m2".into()])));
        assert_eq!(
            c,
            Check::fail(
                "warehouse sqlite://a.db has 2 pending migration(s): m1, m2; run `meta-ads-sync migrate`"
            )
        );
        assert!(!warehouse_line(Err("refused".into())).ok);
        assert_eq!(
            render(&[c, Check::pass("fine")]).lines().map(|l| &l[..3]).collect::<Vec<_>>(),
            ["✗", "✓"]
        );
    }
}
