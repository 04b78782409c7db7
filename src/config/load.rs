//! Loading: file (or the built-in default), `${VAR}` interpolation, `META_ADS_SYNC__SECTION__KEY`
//! environment overrides, typed deserialisation, then validation.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use super::interpolate::interpolate;
use super::validate::validate;
use super::{Config, ConfigError};

/// Path used when neither `--config` nor `META_ADS_SYNC_CONFIG` is given.
pub const DEFAULT_CONFIG_PATH: &str = "config/default.yaml";

/// The shipped default configuration, used when `config/default.yaml` is not on disk (an
/// installed binary run from any directory).
pub const BUILTIN_DEFAULT_YAML: &str = include_str!("../../config/default.yaml");

/// Prefix of environment overrides: `META_ADS_SYNC__META__BASE_URL` sets `meta.base_url`.
pub const ENV_PREFIX: &str = "META_ADS_SYNC";

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
    let text = interpolate(text, lookup)?;
    let overrides: config::Map<String, String> =
        env.into_iter().filter(|(k, _)| k.starts_with(&format!("{ENV_PREFIX}__"))).collect();
    let environment = config::Environment::with_prefix(ENV_PREFIX)
        .prefix_separator("__")
        .separator("__")
        .try_parsing(true)
        .list_separator(",")
        .with_list_parse_key("sync.accounts")
        .with_list_parse_key("sync.businesses")
        .with_list_parse_key("sync.levels")
        .with_list_parse_key("sync.conversion_action_types")
        .source(Some(overrides));
    let raw = config::Config::builder()
        .add_source(config::File::from_str(&text, config::FileFormat::Yaml))
        .add_source(environment)
        .build()
        .map_err(|e| ConfigError::Parse(e.to_string()))?;
    let mut config: Config = raw.try_deserialize().map_err(|e| ConfigError::Parse(e.to_string()))?;
    blank_secrets_are_absent(&mut config);
    validate(&config)?;
    Ok(config)
}

/// `app_secret: "${META_APP_SECRET}"` with the variable unset interpolates to "": that means
/// "not configured", not "an empty secret".
fn blank_secrets_are_absent(config: &mut Config) {
    let blank = |s: &Option<SecretString>| s.as_ref().is_some_and(|s| s.expose_secret().trim().is_empty());
    if blank(&config.meta.app_secret) {
        config.meta.app_secret = None;
    }
    if blank(&config.meta.access_token) {
        config.meta.access_token = None;
    }
    if config.meta.app_id.as_deref().is_some_and(|s| s.trim().is_empty()) {
        config.meta.app_id = None;
    }
}
