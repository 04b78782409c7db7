//! Configuration: typed structs read once at load (numbers in range, levels, dates, account ids,
//! log format and filter), `${VAR}` substitution into parsed values, environment overrides,
//! validation, and the API version check.

mod error;
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

pub use error::ConfigError;
pub use fields::{LogFilter, LogFormat};
pub use interpolate::{InterpolateError, Interpolated, interpolate};
pub use load::{BUILTIN_DEFAULT_YAML, ConfigSource, DEFAULT_CONFIG_PATH, from_yaml, load};
pub use model::*;
pub use redact::redact_urls;
pub use sources::ENV_PREFIX;
pub use validate::{
    INSIGHTS_RETENTION_MONTHS, check_insights_window, is_ad_account_id, oldest_insights_day, validate,
    validate_at,
};
pub use versions::{VersionStatus, WARN_DAYS_BEFORE_RETIREMENT, version_of, version_status, version_warning};
