//! The credentials of `meta:` after load: trimmed, blank meaning "not configured", and a token
//! that could never be sent refused at load, naming the variable it came from.

use std::collections::BTreeMap;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use super::error::ConfigError;
use super::model::Config;

/// Where each key's value came from: the variables `${…}` took text from, or the override.
#[derive(Debug, Default)]
pub struct Provenance {
    /// Dotted key → variables interpolated into the file's value.
    pub interpolated: BTreeMap<String, Vec<String>>,
    /// Dotted key → the `META_ADS_SYNC__…` variable that overrides it.
    pub overridden: BTreeMap<String, String>,
}

impl Provenance {
    /// "(from $VAR)" for a key set from the environment, "(as written …)" for one from the file.
    pub fn origin_of(&self, key: &str) -> String {
        if let Some(var) = self.overridden.get(key) {
            return format!("(from ${var})");
        }
        match self.interpolated.get(key) {
            Some(vars) => format!("(from ${})", vars.join(", $")),
            None => "(as written in the config file)".to_string(),
        }
    }
}

/// Keys whose value is a credential.
const SECRET_KEYS: &[&str] = &["meta.access_token", "meta.app_secret"];

/// Hides credentials a message might quote (a secret variable substituted where a number was
/// expected is quoted back by the type error): each becomes `${VAR}`. `lookup` is the same
/// environment the file was interpolated from.
pub fn scrub(message: &str, from: &Provenance, lookup: &impl Fn(&str) -> Option<String>) -> String {
    let secret_name =
        |n: &str| ["TOKEN", "SECRET", "PASSWORD", "PASSWD"].iter().any(|w| n.to_uppercase().contains(w));
    let mut out = message.to_string();
    for (key, vars) in &from.interpolated {
        for var in vars.iter().filter(|v| SECRET_KEYS.contains(&key.as_str()) || secret_name(v)) {
            if let Some(value) = lookup(var).map(|v| v.trim().to_string()).filter(|v| v.len() >= 4) {
                out = out.replace(&value, &format!("${{{var}}}"));
            }
        }
    }
    out
}

/// Trims the credentials, turns blank ones (an unset `${META_APP_SECRET}`) into `None`, and
/// refuses an access token that is not a valid HTTP header value: it goes into
/// `Authorization: Bearer` (docs/graph-api.md §7), and a control character in it would
/// otherwise fail every call as a "connection error" that is retried.
pub fn check_credentials(config: &mut Config, from: &Provenance) -> Result<(), ConfigError> {
    let m = &mut config.meta;
    m.access_token = trimmed(m.access_token.take());
    m.app_secret = trimmed(m.app_secret.take());
    m.app_id = m.app_id.take().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    // Meta's tokens are ASCII; a non-ASCII letter is a paste slip (a typographic quote) that
    // a header would carry as raw bytes.
    if let Some(token) = &m.access_token
        && (!token.expose_secret().is_ascii()
            || HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).is_err())
    {
        return Err(unusable("meta.access_token", "an HTTP header", from));
    }
    if let Some(secret) = &m.app_secret
        && secret.expose_secret().chars().any(char::is_control)
    {
        return Err(unusable("meta.app_secret", "an app secret", from));
    }
    if let Some(id) = &m.app_id
        && !id.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(ConfigError::Invalid {
            key: "meta.app_id".to_string(),
            message: format!(
                "{} must be the numeric app id from the app dashboard",
                from.origin_of("meta.app_id")
            ),
        });
    }
    Ok(())
}

fn trimmed(secret: Option<SecretString>) -> Option<SecretString> {
    let s = secret?;
    let t = s.expose_secret().trim();
    (!t.is_empty()).then(|| SecretString::from(t.to_string()))
}

fn unusable(key: &str, what: &str, from: &Provenance) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        message: format!(
            "{} holds a character that cannot be in {what} (a control character such as a line break inside \
             the value, or a non-ASCII letter); set it to the value exactly as Meta shows it",
            from.origin_of(key)
        ),
    }
}
