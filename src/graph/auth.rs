//! Everything about the token, in one place: where it comes from ([`TokenSource`]), the refreshed
//! token the client caches after a code 190, refreshing once for many concurrent callers, signing
//! every call with `appsecret_proof`/`appsecret_time`, and scrubbing the token and the app secret
//! from any text headed for a log or an error (docs/graph-api.md §7).
//!
//! The token is the one secret every request carries; it lives in a `SecretString` (redacted
//! `Debug`) and goes only into the `Authorization: Bearer` header, never into a URL.

use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use super::error::GraphError;
use crate::config::MetaConfig;

/// Where the client gets its access token: the I/O edge for tokens (an OAuth store comes later).
pub trait TokenSource: Send + Sync {
    /// The token to use now.
    fn current(&self) -> SecretString;
    /// Get a new token after Meta rejected the current one (code 190). `Ok(None)`: this source
    /// cannot refresh, the account needs re-authorization.
    fn refresh(&self) -> BoxFuture<'_, Result<Option<SecretString>, GraphError>>;
}

/// A fixed token (a non-expiring system-user token from config or the environment).
pub struct StaticToken {
    token: SecretString,
}

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken([REDACTED])")
    }
}

impl StaticToken {
    /// Wrap a token.
    pub fn new(token: SecretString) -> Self {
        Self { token }
    }

    /// The token of `meta.access_token`.
    pub fn from_config(cfg: &MetaConfig) -> Result<Self, GraphError> {
        cfg.access_token
            .clone()
            .map(Self::new)
            .ok_or_else(|| GraphError::Token("meta.access_token is not set".to_string()))
    }
}

impl TokenSource for StaticToken {
    fn current(&self) -> SecretString {
        self.token.clone()
    }

    fn refresh(&self) -> BoxFuture<'_, Result<Option<SecretString>, GraphError>> {
        Box::pin(async { Ok(None) })
    }
}

/// A token as used for one attempt, with the generation it belongs to (see [`Auth::refresh`]).
pub(crate) struct TokenUse {
    pub token: SecretString,
    pub generation: u64,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refresh {
    /// A new token is in use.
    Refreshed,
    /// Another caller refreshed since this request's token was taken: just retry.
    ByAnother,
    /// The source cannot refresh: the account needs re-authorization.
    Impossible,
}

/// The client's token state: the source, the token cached after a refresh, and the app secret.
pub(crate) struct Auth {
    source: std::sync::Arc<dyn TokenSource>,
    app_secret: Option<SecretString>,
    refreshed: RwLock<Option<SecretString>>,
    generation: AtomicU64,
    refresh_lock: tokio::sync::Mutex<()>,
}

impl Auth {
    pub fn new(source: std::sync::Arc<dyn TokenSource>, app_secret: Option<SecretString>) -> Self {
        Self {
            source,
            app_secret,
            refreshed: RwLock::new(None),
            generation: AtomicU64::new(0),
            refresh_lock: tokio::sync::Mutex::new(()),
        }
    }

    fn cached(&self) -> Option<SecretString> {
        self.refreshed.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The token to send now.
    pub fn token(&self) -> TokenUse {
        let generation = self.generation.load(Ordering::Acquire);
        TokenUse { token: self.cached().unwrap_or_else(|| self.source.current()), generation }
    }

    /// Refresh after a 190 on a request sent with token `generation`. Concurrent callers hit by
    /// the same expiry refresh once: whoever comes second sees a newer generation and just
    /// retries.
    pub async fn refresh(&self, generation: u64) -> Result<Refresh, GraphError> {
        let _one_at_a_time = self.refresh_lock.lock().await;
        if self.generation.load(Ordering::Acquire) != generation {
            return Ok(Refresh::ByAnother);
        }
        match self.source.refresh().await? {
            Some(token) => {
                *self.refreshed.write().unwrap_or_else(|p| p.into_inner()) = Some(token);
                self.generation.fetch_add(1, Ordering::AcqRel);
                tracing::info!("access token refreshed after code 190");
                Ok(Refresh::Refreshed)
            }
            None => Ok(Refresh::Impossible),
        }
    }

    /// Remove every secret the client knows from text headed for a log or an error.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut secrets = vec![self.source.current()];
        secrets.extend(self.cached());
        secrets.extend(self.app_secret.clone());
        for s in &secrets {
            let s = s.expose_secret();
            if !s.is_empty() {
                out = out.replace(s, "[REDACTED]");
            }
        }
        out
    }

    /// `appsecret_proof` + `appsecret_time` when an app secret is configured (every call).
    pub fn sign(&self, params: &mut Vec<(String, String)>, token: &SecretString) {
        if let Some(secret) = &self.app_secret {
            let time = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            params.push(("appsecret_proof".into(), appsecret_proof(token, secret, time)));
            params.push(("appsecret_time".into(), time.to_string()));
        }
    }
}

/// Time-stamped proof: lowercase hex `HMAC-SHA256(key = app secret, msg = "token|time")`, sent with
/// `appsecret_time = time` (valid five minutes). Not a secret itself: it cannot be reversed.
pub fn appsecret_proof(token: &SecretString, app_secret: &SecretString, time: u64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.expose_secret().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(token.expose_secret().as_bytes());
    mac.update(b"|");
    mac.update(time.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_matches_the_documented_formula() {
        // echo -n 'tok|1700000000' | openssl dgst -sha256 -hmac 'sec'
        let p = appsecret_proof(&"tok".into(), &"sec".into(), 1_700_000_000);
        assert_eq!(p, "76c72ab4cd4ceb38bc05798349e148b0845327097473ef752ca3481a366186b3");
        assert_ne!(p, appsecret_proof(&"tok".into(), &"sec".into(), 1_700_000_001));
    }

    #[test]
    fn scrub_removes_the_token_and_the_app_secret() {
        let auth = Auth::new(std::sync::Arc::new(StaticToken::new("EAAB-tok".into())), Some("s3cret".into()));
        let text = "bad token EAAB-tok signed with s3cret";
        assert_eq!(auth.scrub(text), "bad token [REDACTED] signed with [REDACTED]");
        let mut params = Vec::new();
        auth.sign(&mut params, &auth.token().token);
        let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["appsecret_proof", "appsecret_time"]);
        assert!(params.iter().all(|(_, v)| !v.contains("EAAB") && !v.contains("s3cret")));
    }

    #[tokio::test]
    async fn static_token_never_refreshes_and_never_prints() {
        let t = StaticToken::new("EAAB-secret".into());
        assert_eq!(t.current().expose_secret(), "EAAB-secret");
        assert!(t.refresh().await.unwrap().is_none());
        assert!(!format!("{t:?}").contains("EAAB"));
        let err = StaticToken::from_config(&MetaConfig::default()).unwrap_err();
        assert!(err.to_string().contains("meta.access_token"));
    }
}
