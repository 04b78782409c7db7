//! Typed configuration: the YAML layout of the spec (`meta.*`) plus `warehouse`, `sync`,
//! `schedule` and `logging`. Every field has a named default so an empty file is valid.

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Graph API access.
    pub meta: MetaConfig,
    /// Where rows go.
    pub warehouse: WarehouseConfig,
    /// What to sync.
    pub sync: SyncConfig,
    /// When the daemon runs.
    pub schedule: ScheduleConfig,
    /// Log output.
    pub logging: LoggingConfig,
}

/// Default versioned root. v26.0 (Jul 2026) has no announced retirement; v25.0 retires
/// 2027-02-23, within the 90-day warning window (facts §9).
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com/v26.0";

/// `meta:` — Graph API access, pacing and retries.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetaConfig {
    /// Versioned root of the Graph API, e.g. `https://graph.facebook.com/v25.0`.
    pub base_url: String,
    /// App id (needed for token exchange and OAuth).
    pub app_id: Option<String>,
    /// App secret: signs every call with `appsecret_proof` when set.
    #[serde(serialize_with = "redacted")]
    pub app_secret: Option<SecretString>,
    /// Access token (system-user or long-lived user token).
    #[serde(serialize_with = "redacted")]
    pub access_token: Option<SecretString>,
    /// Client-side call budgets.
    pub rate_limit: RateLimitConfig,
    /// Retry policy.
    pub retry: RetryConfig,
    /// Batch requests.
    pub batch: BatchConfig,
    /// Rows per page for listings (`limit`).
    pub page_size: u32,
    /// Timeouts.
    pub timeouts: TimeoutConfig,
    /// Polling of async insights report runs.
    pub report_run: ReportRunConfig,
}

impl Default for MetaConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            app_id: None,
            app_secret: None,
            access_token: None,
            rate_limit: RateLimitConfig::default(),
            retry: RetryConfig::default(),
            batch: BatchConfig::default(),
            page_size: 100,
            timeouts: TimeoutConfig::default(),
            report_run: ReportRunConfig::default(),
        }
    }
}

/// Serialises a secret as `"[redacted]"` (or null): serialised configs are for showing.
fn redacted<S: Serializer>(secret: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(_) => s.serialize_str("[redacted]"),
        None => s.serialize_none(),
    }
}

/// `meta.rate_limit:` — budgets per ad account over a sliding window.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Calls allowed in any window (every batch item counts).
    pub calls_per_hour: u32,
    /// Insights calls allowed in any window (a subset of the calls).
    pub insights_per_hour: u32,
    /// Window length in seconds (3600 in production; tests use seconds).
    pub window_seconds: u64,
    /// Usage percentage (from Meta's headers) at which the client starts slowing down.
    pub slow_down_at_pct: f64,
    /// Calls allowed app-wide in any window (every account together); unset: no app budget
    /// (account-less calls then use `calls_per_hour`). Pacing from `x-app-usage` applies anyway.
    pub app_calls_per_hour: Option<u32>,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            calls_per_hour: 200,
            insights_per_hour: 100,
            window_seconds: 3600,
            slow_down_at_pct: 75.0,
            app_calls_per_hour: None,
        }
    }
}

/// `meta.retry:` — transient failures and throttles.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    /// Attempts after the first one for retryable errors (spec: code 1 → retry 3×).
    pub max_attempts: u32,
    /// Base of the capped exponential backoff, in seconds.
    pub backoff_seconds: f64,
    /// Cap of the exponential backoff, in seconds.
    pub max_backoff_seconds: f64,
    /// Wait after a 613 throttle, in seconds (spec: one hour).
    pub throttle_backoff_seconds: f64,
    /// Wait after a 368 policy block, in seconds.
    pub policy_block_backoff_seconds: f64,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            backoff_seconds: 60.0,
            max_backoff_seconds: 900.0,
            throttle_backoff_seconds: 3600.0,
            policy_block_backoff_seconds: 3600.0,
        }
    }
}

/// `meta.batch:` — Graph batch requests.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BatchConfig {
    /// Items per batch; Meta rejects more than 50.
    pub max_size: usize,
}

impl Default for BatchConfig {
    fn default() -> Self {
        Self { max_size: 50 }
    }
}

/// `meta.timeouts:` — per attempt and per operation, separate knobs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimeoutConfig {
    /// One HTTP attempt, in seconds.
    pub attempt_seconds: f64,
    /// One operation including its retries and waits, in seconds.
    pub operation_seconds: f64,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self { attempt_seconds: 120.0, operation_seconds: 7200.0 }
    }
}

/// `meta.report_run:` — async insights jobs (facts §5.3): poll often at first, then less.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportRunConfig {
    /// First wait between status polls, in seconds; doubles up to `max_poll_seconds`.
    pub poll_seconds: f64,
    /// Longest wait between status polls, in seconds.
    pub max_poll_seconds: f64,
}

impl Default for ReportRunConfig {
    fn default() -> Self {
        Self { poll_seconds: 2.0, max_poll_seconds: 60.0 }
    }
}

/// `warehouse:` — the SQL sink.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct WarehouseConfig {
    /// `sqlite://path.db` or `postgres://user@host/db`.
    pub url: String,
    /// Run pending migrations at the start of `sync` and `daemon`.
    pub migrate_on_start: bool,
    /// How long an account lease lasts unless renewed, in seconds; a running sync renews it every
    /// third of this, so a killed worker's accounts are free again within one lease.
    pub lease_seconds: u64,
}

impl Default for WarehouseConfig {
    fn default() -> Self {
        Self { url: "sqlite://meta_ads.db".to_string(), migrate_on_start: true, lease_seconds: 120 }
    }
}

/// `sync:` — what to fetch.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncConfig {
    /// Ad account ids (with or without `act_`); empty means discover them.
    pub accounts: Vec<String>,
    /// Businesses whose owned and client ad accounts are discovered too.
    pub businesses: Vec<String>,
    /// Insights levels to sync: `account`, `campaign`, `adset`, `ad`.
    pub levels: Vec<String>,
    /// Days re-read before the insights cursor, because Meta restates recent days.
    pub lookback_days: u32,
    /// First day of the first insights sync (`YYYY-MM-DD`); default 90 days back.
    pub start_date: Option<String>,
    /// Accounts synced at the same time.
    pub concurrency: usize,
    /// Action types counted as conversions, value and ROAS.
    pub conversion_action_types: Vec<String>,
    /// Seconds of overlap subtracted from entity `updated_time` cursors.
    pub updated_time_overlap_seconds: i64,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            businesses: Vec::new(),
            levels: vec!["campaign".to_string()],
            lookback_days: 28,
            start_date: None,
            concurrency: 4,
            conversion_action_types: vec!["omni_purchase".to_string()],
            updated_time_overlap_seconds: 300,
        }
    }
}

/// `schedule:` — the daemon's timetable.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleConfig {
    /// Cron expression with seconds (tokio-cron-scheduler syntax).
    pub cron: String,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self { cron: "0 0 * * * *".to_string() }
    }
}

/// `logging:` — output format and filter.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingConfig {
    /// `human` or `json`.
    pub format: String,
    /// A tracing filter, e.g. `info` or `meta_ads_sync=debug`.
    pub level: String,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        Self { format: "human".to_string(), level: "info".to_string() }
    }
}
