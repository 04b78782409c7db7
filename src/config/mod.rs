//! Configuration: typed structs, loading (file, `${VAR}` interpolation, environment
//! overrides), validation, and the API version check.

mod interpolate;
mod load;
mod model;
mod validate;
mod versions;

use std::path::PathBuf;

pub use interpolate::{InterpolateError, interpolate};
pub use load::{BUILTIN_DEFAULT_YAML, ConfigSource, DEFAULT_CONFIG_PATH, ENV_PREFIX, from_yaml, load};
pub use model::*;
pub use validate::{INSIGHTS_RETENTION_MONTHS, is_ad_account_id, validate};
pub use versions::{VersionStatus, WARN_DAYS_BEFORE_RETIREMENT, version_of, version_status, version_warning};

/// Why the configuration could not be loaded. Every message names the key or file and the fix.
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
    /// `${VAR}` interpolation failed.
    #[error("config: {0}")]
    Interpolate(#[from] InterpolateError),
    /// YAML syntax, an unknown key or a wrong type.
    #[error("config: {0}")]
    Parse(String),
    /// A value out of range or malformed.
    #[error("config: {key} {message}")]
    Invalid {
        /// Dotted key, e.g. `meta.batch.max_size`.
        key: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}
