//! The error of loading the configuration.

use std::path::PathBuf;

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
