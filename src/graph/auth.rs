//! Tokens and request signing. The token is the one secret every request carries; it lives in a
//! `SecretString` (redacted `Debug`), goes only into the `Authorization: Bearer` header, and is
//! proven with the time-stamped `appsecret_proof` (facts §7, DOC-SEC 2026).

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

    /// The token from an environment variable (e.g. `META_ACCESS_TOKEN`); the error names the
    /// variable, never its value.
    pub fn from_env(var: &str) -> Result<Self, GraphError> {
        match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => Ok(Self::new(SecretString::from(v.trim().to_string()))),
            _ => Err(GraphError::Token(format!("environment variable {var} is not set"))),
        }
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

    #[tokio::test]
    async fn static_token_never_refreshes_and_never_prints() {
        let t = StaticToken::new("EAAB-secret".into());
        assert_eq!(t.current().expose_secret(), "EAAB-secret");
        assert!(t.refresh().await.unwrap().is_none());
        assert!(!format!("{t:?}").contains("EAAB"));
        let err = StaticToken::from_env("META_ADS_SYNC_SURELY_UNSET_VAR").unwrap_err();
        assert!(err.to_string().contains("META_ADS_SYNC_SURELY_UNSET_VAR"));
    }
}
