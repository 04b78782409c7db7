//! Typed configuration: the YAML layout of the spec (`meta.*`) plus `warehouse`, `sync`,
//! `schedule` and `logging`. Every field has a named default so an empty file is valid.

use chrono::NaiveDate;
use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};

use super::fields::{LogFilter, LogFormat, date_or_null, levels};
use super::number::{number, positive_seconds, seconds, whole, whole_or_null};
use crate::ids::AccountId;
use crate::model::InsightLevel;

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
/// 2027-02-23, within the 90-day warning window (docs/graph-api.md §9).
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
    #[serde(deserialize_with = "whole::<_, _, 1, 5000>")]
    pub page_size: u32,
    /// Largest response body read, in bytes; a larger body fails the attempt instead of
    /// filling memory.
    #[serde(deserialize_with = "whole::<_, _, 1024, 4_294_967_296>")]
    pub max_body_bytes: u64,
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
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            timeouts: TimeoutConfig::default(),
            report_run: ReportRunConfig::default(),
        }
    }
}

/// Default of `meta.max_body_bytes`: 32 MiB, far above the largest page Meta serves (a 5,000-row
/// insights page is a few MB) and small enough for several in flight in a 256 MiB pod.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

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
    #[serde(deserialize_with = "whole::<_, _, 1, 1_000_000_000>")]
    pub calls_per_hour: u32,
    /// Insights calls allowed in any window (a subset of the calls).
    #[serde(deserialize_with = "whole::<_, _, 1, 1_000_000_000>")]
    pub insights_per_hour: u32,
    /// Window length in seconds (3600 in production; tests use seconds).
    #[serde(deserialize_with = "whole::<_, _, 1, 86_400>")]
    pub window_seconds: u64,
    /// Usage percentage (from Meta's headers) at which the client starts slowing down.
    #[serde(deserialize_with = "number::<_, 0, 100>")]
    pub slow_down_at_pct: f64,
    /// Calls allowed app-wide in any window (every account together); unset: no app budget
    /// (account-less calls then use `calls_per_hour`). Pacing from `x-app-usage` applies anyway.
    /// 0 is refused rather than read as "no budget" or "no calls": null says the first.
    #[serde(deserialize_with = "whole_or_null::<_, _, 1, 1_000_000_000>")]
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
    #[serde(deserialize_with = "whole::<_, _, 0, 10>")]
    pub max_attempts: u32,
    /// Base of the capped exponential backoff, in seconds.
    #[serde(deserialize_with = "seconds::<_, 0, 3600>")]
    pub backoff_seconds: f64,
    /// Cap of the exponential backoff, in seconds (at least `backoff_seconds`).
    #[serde(deserialize_with = "seconds::<_, 0, 86_400>")]
    pub max_backoff_seconds: f64,
    /// Wait after a 613 throttle, in seconds (spec: one hour).
    #[serde(deserialize_with = "seconds::<_, 0, 86_400>")]
    pub throttle_backoff_seconds: f64,
    /// Wait after a 368 policy block, in seconds.
    #[serde(deserialize_with = "seconds::<_, 0, 86_400>")]
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
    /// Items per batch; Meta rejects more than 50 (docs/graph-api.md §4).
    #[serde(deserialize_with = "whole::<_, _, 1, 50>")]
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
    #[serde(deserialize_with = "positive_seconds::<_, 3600>")]
    pub attempt_seconds: f64,
    /// One operation including its retries and waits, in seconds (at least `attempt_seconds`).
    #[serde(deserialize_with = "positive_seconds::<_, 86_400>")]
    pub operation_seconds: f64,
    /// Longest pause while a response body is arriving, in seconds; a body that stalls longer
    /// fails the attempt before `attempt_seconds` is up.
    #[serde(deserialize_with = "positive_seconds::<_, 3600>")]
    pub body_idle_seconds: f64,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self { attempt_seconds: 120.0, operation_seconds: 7200.0, body_idle_seconds: 30.0 }
    }
}

/// `meta.report_run:` — async insights jobs (docs/graph-api.md §5.3): poll often at first, then
/// less.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportRunConfig {
    /// First wait between status polls, in seconds; doubles up to `max_poll_seconds`.
    #[serde(deserialize_with = "positive_seconds::<_, 3600>")]
    pub poll_seconds: f64,
    /// Longest wait between status polls, in seconds (at least `poll_seconds`).
    #[serde(deserialize_with = "positive_seconds::<_, 3600>")]
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
    /// third of this, so a killed worker's accounts are free again within one lease. At most a
    /// day: a longer lease would keep a dead worker's accounts unsynced for that long.
    #[serde(deserialize_with = "whole::<_, _, 30, 86_400>")]
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
    /// Ad account ids (written with or without `act_`); empty means discover them.
    pub accounts: Vec<AccountId>,
    /// Businesses (numeric ids) whose owned and client ad accounts are discovered too.
    pub businesses: Vec<String>,
    /// Insights levels to sync: `account`, `campaign`, `adset`, `ad`.
    #[serde(deserialize_with = "levels")]
    pub levels: Vec<InsightLevel>,
    /// Days re-read before the insights cursor, because Meta restates recent days.
    #[serde(deserialize_with = "whole::<_, _, 0, 400>")]
    pub lookback_days: u32,
    /// First day of the first insights sync; default 90 days back. Not in the future, and not
    /// before Meta's insights retention (docs/graph-api.md §5.2).
    #[serde(deserialize_with = "date_or_null")]
    pub start_date: Option<NaiveDate>,
    /// Accounts synced at the same time.
    #[serde(deserialize_with = "whole::<_, _, 1, 64>")]
    pub concurrency: usize,
    /// Action types counted as conversions, value and ROAS.
    pub conversion_action_types: Vec<String>,
    /// Seconds of overlap subtracted from entity `updated_time` cursors.
    #[serde(deserialize_with = "whole::<_, _, 0, 86_400>")]
    pub updated_time_overlap_seconds: i64,
    /// Pages one listing may take before it is stopped as endless (a cursor that keeps
    /// answering `next`, docs/graph-api.md §3).
    #[serde(deserialize_with = "whole::<_, _, 1, 10_000_000>")]
    pub max_pages_per_listing: u64,
    /// Longest time one pass may fetch pages, in seconds; listings still going then stop, each
    /// failing its account and stream. `null`: no limit.
    #[serde(deserialize_with = "whole_or_null::<_, _, 1, 604_800>")]
    pub pass_deadline_seconds: Option<u64>,
    /// Seconds a `sync` stopping on SIGTERM/SIGINT waits for its writes in flight before it
    /// exits anyway; below Kubernetes' default 30 s grace before SIGKILL.
    #[serde(deserialize_with = "whole::<_, _, 1, 3_600>")]
    pub shutdown_grace_seconds: u64,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            businesses: Vec::new(),
            levels: vec![InsightLevel::Campaign],
            lookback_days: 28,
            start_date: None,
            concurrency: 4,
            conversion_action_types: vec!["omni_purchase".to_string()],
            updated_time_overlap_seconds: 300,
            max_pages_per_listing: 10_000,
            pass_deadline_seconds: None,
            shutdown_grace_seconds: 20,
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
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingConfig {
    /// `human` or `json`.
    pub format: LogFormat,
    /// A tracing filter, e.g. `info` or `meta_ads_sync=debug` (`RUST_LOG` wins when set).
    pub level: LogFilter,
}
