//! The client's own settings: what `meta:` config says, validated and turned into durations, plus
//! the knobs config does not carry (yet), each with a named default.

use std::time::Duration;

use super::backoff::secs;
use super::error::GraphError;
use crate::config::MetaConfig;

/// Meta rejects batches of more than 50 operations (docs/graph-api.md §4).
pub const MAX_BATCH_SIZE: usize = 50;

/// Default cap on one response body (`meta.max_body_bytes`): a 5,000-row insights page is a few
/// MB; anything this large is not a Graph answer the client wants to hold in memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = crate::config::DEFAULT_MAX_BODY_BYTES as usize;

/// Default longest silence between two pieces of a response body before the attempt is abandoned.
pub const DEFAULT_BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Default first wait before retrying a transient failure (codes 1, 2, `is_transient`, 5xx,
/// resets, cut-off bodies); it doubles per retry up to `meta.retry.max_backoff_seconds`.
pub const DEFAULT_TRANSIENT_FIRST_WAIT: Duration = Duration::from_secs(1);

/// Everything a [`crate::graph::GraphClient`] is built from.
#[derive(Debug, Clone)]
pub struct GraphOptions {
    /// The `meta:` section (base URL, app secret, budgets, retries, timeouts, …).
    pub meta: MetaConfig,
    /// Largest response body read, in bytes; a larger one fails that request.
    pub max_body_bytes: usize,
    /// Longest silence between two pieces of a response body.
    pub body_idle_timeout: Duration,
    /// First wait before retrying a transient failure.
    pub transient_first_wait: Duration,
}

impl GraphOptions {
    /// The options for `meta:` config (body cap and idle timeout included), with the defaults for
    /// everything config does not carry.
    pub fn new(meta: &MetaConfig) -> Self {
        Self {
            meta: meta.clone(),
            max_body_bytes: usize::try_from(meta.max_body_bytes).unwrap_or(usize::MAX),
            body_idle_timeout: secs(meta.timeouts.body_idle_seconds),
            transient_first_wait: DEFAULT_TRANSIENT_FIRST_WAIT,
        }
    }

    /// Refuse settings the client cannot work with (batch size above 50, zero window or page
    /// size, a base URL that is not http(s), a zero body cap).
    pub fn validate(&self) -> Result<(), GraphError> {
        let bad = |m: String| Err(GraphError::Config(m));
        let cfg = &self.meta;
        if cfg.batch.max_size == 0 || cfg.batch.max_size > MAX_BATCH_SIZE {
            return bad(format!(
                "meta.batch.max_size must be 1..={MAX_BATCH_SIZE}, got {}",
                cfg.batch.max_size
            ));
        }
        if cfg.page_size == 0 {
            return bad("meta.page_size must be at least 1".into());
        }
        if cfg.rate_limit.window_seconds == 0 {
            return bad("meta.rate_limit.window_seconds must be at least 1".into());
        }
        if !(cfg.timeouts.attempt_seconds > 0.0 && cfg.timeouts.operation_seconds > 0.0) {
            return bad("meta.timeouts.attempt_seconds and operation_seconds must be positive".into());
        }
        if self.max_body_bytes == 0 || self.body_idle_timeout.is_zero() {
            return bad("the response body cap and idle timeout must be positive".into());
        }
        match reqwest::Url::parse(self.base_url()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.query().is_none() => Ok(()),
            _ => bad(format!("meta.base_url is not an http(s) URL without query: {:?}", self.base_url())),
        }
    }

    /// The versioned root without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.meta.base_url.trim_end_matches('/')
    }

    /// One HTTP attempt (`meta.timeouts.attempt_seconds`).
    pub fn attempt_timeout(&self) -> Duration {
        secs(self.meta.timeouts.attempt_seconds)
    }

    /// One operation with its retries and waits (`meta.timeouts.operation_seconds`).
    pub fn operation_timeout(&self) -> Duration {
        secs(self.meta.timeouts.operation_seconds)
    }
}
