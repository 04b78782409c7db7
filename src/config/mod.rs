//! Configuration: typed structs read once at load (numbers in range, levels, dates, account ids,
//! log format and filter), `${VAR}` substitution into parsed values, environment overrides,
//! validation, and the API version check.

mod fields;
mod interpolate;
mod load;
mod model;
mod number;
mod redact;
mod secrets;
mod sources;
mod validate;
mod versions;
mod yaml;

use std::path::PathBuf;

pub use fields::{LogFilter, LogFormat};
pub use interpolate::{InterpolateError, Interpolated, interpolate};
pub use load::{BUILTIN_DEFAULT_YAML, ConfigSource, DEFAULT_CONFIG_PATH, ENV_PREFIX, from_yaml, load};
pub use model::*;
pub use redact::redact_urls;
pub use validate::{
    INSIGHTS_RETENTION_MONTHS, check_insights_window, is_ad_account_id, oldest_insights_day, validate,
    validate_at,
};
pub use versions::{VersionStatus, WARN_DAYS_BEFORE_RETIREMENT, version_of, version_status, version_warning};

/// Why the configuration could not be loaded. Every message names the key or file and the fix,
/// on one line, with no credential in it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source} (pass --config PATH or set META_ADS_SYNC_CONFIG)")]
    Read {
        /// The path tried.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// YAML syntax that does not parse.
    #[error("config: {0}")]
    Parse(String),
    /// A value out of range, malformed, of the wrong type, or a key this version does not know.
    #[error("config: {key} {message}")]
    Invalid {
        /// Dotted key, e.g. `meta.batch.max_size`.
        key: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}
