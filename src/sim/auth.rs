//! Access tokens and `appsecret_proof` (docs/graph-api.md §7): system-user tokens that never expire,
//! user tokens that do (then 190/463), app tokens (`app_id|app_secret` or issued by
//! `client_credentials`), and the proof in its plain and time-stamped forms.

use super::errors::ApiError;
use super::hash::{h2, h3};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A system user of the first business: sees every ad account, never expires.
    SystemUser,
    /// A user token (OAuth or `issue_token`).
    User,
    /// An app token: only for `debug_token` and OAuth endpoints.
    App,
}

/// One issued token.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub issued: i64,
    /// Unix seconds; `None` = never expires.
    pub expires: Option<i64>,
    pub user_index: u64,
    /// Permissions granted (the dialog's `scope`); `None` = every permission the app has.
    pub scopes: Option<Vec<String>>,
}

/// One OAuth dialog code.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub redirect_uri: String,
    pub used: bool,
    /// Permissions the dialog asked for (`scope`); `None` = not given.
    pub scopes: Option<Vec<String>>,
}

/// All tokens and codes.
#[derive(Debug, Default)]
pub(crate) struct TokenStore {
    pub tokens: HashMap<String, Token>,
    pub codes: HashMap<String, Code>,
    counter: u64,
}

/// An opaque token-looking string: `EAA` and base-62 characters, like Meta's.
pub(crate) fn opaque(prefix: &str, seed: u64, n: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::from(prefix);
    let mut i = 0u64;
    while out.len() < len {
        let mut h = h3(seed, n, i);
        for _ in 0..10 {
            out.push(ALPHABET[(h % 62) as usize] as char);
            h /= 62;
        }
        i += 1;
    }
    out.truncate(len);
    out
}

impl TokenStore {
    /// A store holding the system-user token of `seed`.
    pub(crate) fn new(seed: u64, now: i64) -> (Self, String) {
        let mut s = Self::default();
        let system = opaque("EAAS", h2(seed, 0x5157), 0, 180);
        s.tokens.insert(
            system.clone(),
            Token { kind: TokenKind::SystemUser, issued: now, expires: None, user_index: 0, scopes: None },
        );
        (s, system)
    }

    /// Issues a new token.
    pub(crate) fn issue(
        &mut self,
        seed: u64,
        kind: TokenKind,
        now: i64,
        ttl: Option<i64>,
        user_index: u64,
    ) -> String {
        self.counter += 1;
        let prefix = if kind == TokenKind::App { "APP" } else { "EAAG" };
        let t = opaque(prefix, seed, self.counter, 160);
        self.tokens.insert(
            t.clone(),
            Token { kind, issued: now, expires: ttl.map(|s| now + s), user_index, scopes: None },
        );
        t
    }

    /// Issues a single-use OAuth code for `redirect_uri`.
    pub(crate) fn issue_code(&mut self, seed: u64, redirect_uri: &str) -> String {
        self.counter += 1;
        let c = opaque("AQ", seed ^ 0xc0de, self.counter, 96);
        self.codes
            .insert(c.clone(), Code { redirect_uri: redirect_uri.to_string(), used: false, scopes: None });
        c
    }

    /// Marks a token expired as of `now`.
    pub(crate) fn expire(&mut self, token: &str, now: i64) {
        if let Some(t) = self.tokens.get_mut(token) {
            t.expires = Some(now - 1);
        }
    }

    /// Validates a token at `now`; app tokens of the form `app_id|app_secret` are accepted.
    pub(crate) fn check(
        &self,
        token: &str,
        now: i64,
        app_id: &str,
        app_secret: &str,
    ) -> Result<Token, ApiError> {
        if token == format!("{app_id}|{app_secret}") {
            return Ok(Token { kind: TokenKind::App, issued: 0, expires: None, user_index: 0, scopes: None });
        }
        let Some(t) = self.tokens.get(token) else {
            return Err(ApiError::new(190, "Invalid OAuth access token - Cannot parse access token"));
        };
        if let Some(exp) = t.expires.filter(|e| *e <= now) {
            return Err(expired(exp, now));
        }
        Ok(t.clone())
    }
}

fn expired(exp: i64, now: i64) -> ApiError {
    let fmt = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap_or_default()
            .with_timezone(&chrono_tz::America::Los_Angeles)
            .format("%A, %d-%b-%y %H:%M:%S %Z")
            .to_string()
    };
    ApiError::new(
        190,
        format!(
            "Error validating access token: Session has expired on {}. The current time is {}.",
            fmt(exp),
            fmt(now)
        ),
    )
    .sub(463)
}

/// `appsecret_proof`: lower-case hex HMAC-SHA256 of `msg` (the token, or `token|unix_time`
/// for the time-stamped form) keyed by the app secret.
pub fn proof(app_secret: &str, msg: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Checks `appsecret_proof` (and `appsecret_time`) for `token`. `wall_now` is the real
/// clock: the time-stamped proof is made with the caller's clock, not the simulated one.
pub(crate) fn check_proof(
    app_secret: &str,
    token: &str,
    proof_param: Option<&str>,
    time_param: Option<&str>,
    required: bool,
    wall_now: i64,
) -> Result<(), ApiError> {
    let Some(given) = proof_param else {
        if required {
            return Err(ApiError::invalid("API calls from the server require an appsecret_proof argument")
                .kind("GraphMethodException"));
        }
        return Ok(());
    };
    let expected = match time_param {
        None => proof(app_secret, token),
        Some(t) => {
            let bad = || {
                ApiError::invalid("Invalid appsecret_time provided in the API argument")
                    .kind("GraphMethodException")
            };
            let t: i64 = t.trim().parse().map_err(|_| bad())?;
            // The time-stamped proof is valid for five minutes (docs/graph-api.md §7).
            if t > wall_now + 60 || wall_now - t > 300 {
                return Err(ApiError::invalid(
                    "The appsecret_time provided has expired; proofs are valid for 5 minutes",
                )
                .kind("GraphMethodException"));
            }
            proof(app_secret, &format!("{token}|{t}"))
        }
    };
    if !given.eq_ignore_ascii_case(&expected) {
        return Err(ApiError::invalid("Invalid appsecret_proof provided in the API argument")
            .kind("GraphMethodException"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_in_both_forms() {
        let p = proof("secret", "tok");
        assert!(check_proof("secret", "tok", Some(&p), None, true, 1000).is_ok());
        assert!(check_proof("secret", "tok", Some("00"), None, true, 1000).is_err());
        assert!(check_proof("secret", "tok", None, None, true, 1000).is_err());
        let tp = proof("secret", "tok|1000");
        assert!(check_proof("secret", "tok", Some(&tp), Some("1000"), true, 1100).is_ok());
        assert!(check_proof("secret", "tok", Some(&tp), Some("1000"), true, 1400).is_err());
    }
}
