//! Validation at load: every error names the key and the fix.

use chrono::{Months, NaiveDate, Utc};

use super::{Config, ConfigError};
use crate::model::InsightLevel;

/// Meta keeps insights for 37 months (facts §5.2).
pub const INSIGHTS_RETENTION_MONTHS: u32 = 37;

/// Whether `id` is an ad account id: digits, with or without `act_`.
pub fn is_ad_account_id(id: &str) -> bool {
    let digits = id.strip_prefix("act_").unwrap_or(id);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// Checks ranges and formats that serde cannot.
pub fn validate(c: &Config) -> Result<(), ConfigError> {
    let bad = |key: &str, msg: String| Err(ConfigError::Invalid { key: key.to_string(), message: msg });
    let m = &c.meta;
    if !(m.base_url.starts_with("http://") || m.base_url.starts_with("https://")) {
        return bad(
            "meta.base_url",
            format!(
                "must be an http(s) URL ending in the API version, e.g. {}, got {:?}",
                super::DEFAULT_BASE_URL,
                m.base_url
            ),
        );
    }
    if super::versions::version_of(&m.base_url).is_none() {
        return bad(
            "meta.base_url",
            format!("must end with the API version, e.g. {}, got {:?}", super::DEFAULT_BASE_URL, m.base_url),
        );
    }
    if !(1..=50).contains(&m.batch.max_size) {
        return bad(
            "meta.batch.max_size",
            format!("must be between 1 and 50 (Meta rejects larger batches), got {}", m.batch.max_size),
        );
    }
    if m.rate_limit.calls_per_hour == 0 || m.rate_limit.insights_per_hour == 0 {
        return bad("meta.rate_limit", "calls_per_hour and insights_per_hour must be at least 1".to_string());
    }
    if m.rate_limit.insights_per_hour > m.rate_limit.calls_per_hour {
        return bad(
            "meta.rate_limit.insights_per_hour",
            format!(
                "insights calls are calls too: {} is more than calls_per_hour {}",
                m.rate_limit.insights_per_hour, m.rate_limit.calls_per_hour
            ),
        );
    }
    if m.rate_limit.window_seconds == 0 {
        return bad("meta.rate_limit.window_seconds", "must be at least 1 (3600 in production)".to_string());
    }
    if !(0.0..=100.0).contains(&m.rate_limit.slow_down_at_pct) {
        return bad(
            "meta.rate_limit.slow_down_at_pct",
            format!("must be a percentage between 0 and 100, got {}", m.rate_limit.slow_down_at_pct),
        );
    }
    if m.retry.max_attempts > 10 {
        return bad("meta.retry.max_attempts", format!("at most 10 retries, got {}", m.retry.max_attempts));
    }
    for (key, v) in [
        ("meta.retry.backoff_seconds", m.retry.backoff_seconds),
        ("meta.retry.max_backoff_seconds", m.retry.max_backoff_seconds),
        ("meta.retry.throttle_backoff_seconds", m.retry.throttle_backoff_seconds),
        ("meta.retry.policy_block_backoff_seconds", m.retry.policy_block_backoff_seconds),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return bad(key, format!("must be a number of seconds ≥ 0, got {v}"));
        }
    }
    if m.retry.max_backoff_seconds < m.retry.backoff_seconds {
        return bad("meta.retry.max_backoff_seconds", "must be at least backoff_seconds".to_string());
    }
    if !(m.timeouts.attempt_seconds > 0.0 && m.timeouts.operation_seconds >= m.timeouts.attempt_seconds) {
        return bad(
            "meta.timeouts",
            format!(
                "need 0 < attempt_seconds ≤ operation_seconds, got {} and {}",
                m.timeouts.attempt_seconds, m.timeouts.operation_seconds
            ),
        );
    }
    if !(1..=5000).contains(&m.page_size) {
        return bad("meta.page_size", format!("must be between 1 and 5000, got {}", m.page_size));
    }
    let url = &c.warehouse.url;
    if !(url.starts_with("sqlite://") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return bad("warehouse.url", "must start with sqlite:// (e.g. sqlite://meta_ads.db) or postgres:// (e.g. postgres://user@host/db)".to_string());
    }
    if c.warehouse.lease_seconds < 30 {
        return bad(
            "warehouse.lease_seconds",
            format!("must be at least 30, got {}", c.warehouse.lease_seconds),
        );
    }
    validate_sync(c)?;
    if !matches!(c.logging.format.as_str(), "human" | "json") {
        return bad("logging.format", format!("must be `human` or `json`, got {:?}", c.logging.format));
    }
    if tracing_subscriber::EnvFilter::try_new(&c.logging.level).is_err() {
        return bad(
            "logging.level",
            format!("is not a valid filter (try `info` or `meta_ads_sync=debug`), got {:?}", c.logging.level),
        );
    }
    Ok(())
}

fn validate_sync(c: &Config) -> Result<(), ConfigError> {
    let bad = |key: &str, msg: String| Err(ConfigError::Invalid { key: key.to_string(), message: msg });
    let s = &c.sync;
    for account in &s.accounts {
        if !is_ad_account_id(account) {
            return bad(
                "sync.accounts",
                format!("{account:?} is not an ad account id; use the number, with or without `act_`"),
            );
        }
    }
    if s.levels.is_empty() {
        return bad("sync.levels", "list at least one of account, campaign, adset, ad".to_string());
    }
    for level in &s.levels {
        if InsightLevel::parse(level).is_none() {
            return bad(
                "sync.levels",
                format!("{level:?} is not a level; use account, campaign, adset or ad"),
            );
        }
    }
    if s.lookback_days > 400 {
        return bad("sync.lookback_days", format!("at most 400 days, got {}", s.lookback_days));
    }
    if let Some(start) = &s.start_date {
        let Ok(date) = NaiveDate::parse_from_str(start, "%Y-%m-%d") else {
            return bad("sync.start_date", format!("must be a date like 2026-01-31, got {start:?}"));
        };
        let oldest = Utc::now().date_naive() - Months::new(INSIGHTS_RETENTION_MONTHS);
        if date < oldest {
            return bad(
                "sync.start_date",
                format!(
                    "Meta keeps insights for {INSIGHTS_RETENTION_MONTHS} months; use {oldest} or later, got {date}"
                ),
            );
        }
    }
    if s.concurrency == 0 || s.concurrency > 64 {
        return bad("sync.concurrency", format!("must be between 1 and 64, got {}", s.concurrency));
    }
    if s.conversion_action_types.is_empty() {
        return bad(
            "sync.conversion_action_types",
            "list at least one action type, e.g. omni_purchase".to_string(),
        );
    }
    if s.updated_time_overlap_seconds < 0 {
        return bad("sync.updated_time_overlap_seconds", "must be ≥ 0".to_string());
    }
    Ok(())
}
