//! Loading: file (or the built-in default) parsed as YAML, `${VAR}` substituted into the parsed
//! values, `META_ADS_SYNC__SECTION__KEY` environment overrides, typed deserialisation (which
//! checks every number's range), credentials, then validation.

use std::path::{Path, PathBuf};

use super::error::ConfigError;
use super::interpolate::interpolate_tree;
use super::model::Config;
use super::redact::redact_urls;
use super::secrets::{Provenance, check_credentials, scrub};
use super::sources::{Layer, overrides};
use super::validate::validate;

/// Path used when neither `--config` nor `META_ADS_SYNC_CONFIG` is given.
pub const DEFAULT_CONFIG_PATH: &str = "config/default.yaml";

/// The shipped default configuration, used when `config/default.yaml` is not on disk (an
/// installed binary run from any directory).
pub const BUILTIN_DEFAULT_YAML: &str = include_str!("../../config/default.yaml");

/// Where the configuration text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// A file on disk.
    File(PathBuf),
    /// The copy of `config/default.yaml` compiled into the binary.
    Builtin,
}

/// Loads the configuration. `explicit` is `--config` or `META_ADS_SYNC_CONFIG`; an explicit path
/// must exist, the default path falls back to the built-in default.
pub fn load(explicit: Option<&Path>) -> Result<(Config, ConfigSource), ConfigError> {
    let (text, source) = match explicit {
        Some(path) => (read(path)?, ConfigSource::File(path.to_path_buf())),
        None if Path::new(DEFAULT_CONFIG_PATH).exists() => {
            let path = PathBuf::from(DEFAULT_CONFIG_PATH);
            (read(&path)?, ConfigSource::File(path))
        }
        None => (BUILTIN_DEFAULT_YAML.to_string(), ConfigSource::Builtin),
    };
    let config = from_yaml(&text, |k| std::env::var(k).ok(), std::env::vars())?;
    Ok((config, source))
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError::Read { path: path.to_path_buf(), source: e })
}

/// Builds a validated [`Config`] from YAML text, an environment lookup for `${VAR}` and the
/// environment variables for overrides. Pure apart from its inputs; used by tests directly.
pub fn from_yaml(
    text: &str,
    lookup: impl Fn(&str) -> Option<String>,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigError> {
    let mut parsed = super::yaml::parse(text)?;
    let interpolated = interpolate_tree(&mut parsed, &lookup)
        .map_err(|(key, e)| ConfigError::Invalid { key, message: e.to_string() })?;
    let (env_layer, overridden) = overrides(env);
    let provenance = Provenance { interpolated, overridden };
    let typed = config::Config::builder()
        .add_source(Layer(parsed))
        .add_source(env_layer)
        .build()
        .and_then(|raw| raw.try_deserialize::<Config>());
    let hide = |e: ConfigError| scrubbed(e, &provenance, &lookup);
    let mut config = typed.map_err(|e| hide(from_crate(e)))?;
    check_credentials(&mut config, &provenance)?;
    validate(&config).map_err(|e| hide(redacted(e)))?;
    Ok(config)
}

fn scrubbed(e: ConfigError, from: &Provenance, lookup: &impl Fn(&str) -> Option<String>) -> ConfigError {
    match e {
        ConfigError::Invalid { key, message } => {
            ConfigError::Invalid { key, message: scrub(&message, from, lookup) }
        }
        ConfigError::Parse(m) => ConfigError::Parse(scrub(&m, from, lookup)),
        other => other,
    }
}

/// A config-crate error as ours: the key first, then what is wrong, credentials redacted.
fn from_crate(e: config::ConfigError) -> ConfigError {
    let (key, message) = match e {
        config::ConfigError::At { error, key: Some(key), .. } => (key, error.to_string()),
        config::ConfigError::Type { key: Some(key), unexpected, expected, .. } => {
            (key, format!("has the wrong type: {unexpected}, expected {expected}"))
        }
        config::ConfigError::Message(m) => (String::new(), m),
        other => return ConfigError::Parse(redact_urls(&other.to_string())),
    };
    // serde's own words for a misspelt key: "unknown field `bse_url`, expected one of …".
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let key = if key.is_empty() { field.to_string() } else { format!("{key}.{field}") };
        let expected = expected.trim_start_matches(", expected ");
        return ConfigError::Invalid {
            key,
            message: format!("is not a setting this version knows (expected {expected}); check its spelling"),
        };
    }
    // "invalid type: integer `5`, expected struct MetaConfig": the struct is ours, not the user's.
    let message = match message.strip_prefix("invalid type: ") {
        Some(rest) => match rest.split_once(", expected struct ") {
            Some((got, _)) => format!("has the wrong type: {got}, expected a mapping of settings"),
            None => format!("has the wrong type: {rest}"),
        },
        None => message,
    };
    if key.is_empty() {
        return ConfigError::Parse(redact_urls(&message));
    }
    ConfigError::Invalid { key, message: redact_urls(&message) }
}

fn redacted(e: ConfigError) -> ConfigError {
    match e {
        ConfigError::Invalid { key, message } => ConfigError::Invalid { key, message: redact_urls(&message) },
        ConfigError::Parse(m) => ConfigError::Parse(redact_urls(&m)),
        other => other,
    }
}
