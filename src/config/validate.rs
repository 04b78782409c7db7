//! Validation at load of what the typed fields cannot check alone: URLs, settings that depend
//! on each other, and dates against today. Every error names the key and the fix. (Ranges of
//! single numbers are checked as they are read, see `number.rs`.)

use chrono::{Months, NaiveDate, Utc};

use super::error::ConfigError;
use super::model::Config;
use super::redact::{has_credentials, redact_urls};

/// Meta keeps insights for 37 months (docs/graph-api.md §5.2).
pub const INSIGHTS_RETENTION_MONTHS: u32 = 37;

/// Whether `id` is an ad account id: digits, with or without `act_`.
pub fn is_ad_account_id(id: &str) -> bool {
    crate::ids::AccountId::parse(id).is_ok()
}

/// The oldest day Meta still serves insights for, as of `today`.
pub fn oldest_insights_day(today: NaiveDate) -> NaiveDate {
    today - Months::new(INSIGHTS_RETENTION_MONTHS)
}

/// Checks an insights window `since..=until` (either end open) against `today` (UTC): a window
/// that starts in the future, or lies wholly before Meta's retention, would load nothing. A day
/// of slack covers accounts whose time zone is already on tomorrow. `Err` says why and what to
/// use instead.
pub fn check_insights_window(
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), String> {
    let oldest = oldest_insights_day(today);
    let latest = today.succ_opt().unwrap_or(today);
    if let Some(s) = since
        && s > latest
    {
        return Err(format!("starts on {s}, in the future (today is {today} UTC); use {latest} or earlier"));
    }
    if let Some(u) = until
        && u < oldest
    {
        return Err(format!(
            "ends on {u}, wholly before the {INSIGHTS_RETENTION_MONTHS} months Meta keeps insights for; \
             nothing before {oldest} can be loaded"
        ));
    }
    Ok(())
}

/// Checks what serde cannot, as of the real today.
pub fn validate(c: &Config) -> Result<(), ConfigError> {
    validate_at(c, Utc::now().date_naive())
}

/// [`validate`] as of `today`.
pub fn validate_at(c: &Config, today: NaiveDate) -> Result<(), ConfigError> {
    let bad = |key: &str, msg: String| Err(ConfigError::Invalid { key: key.to_string(), message: msg });
    validate_base_url(&c.meta.base_url)?;
    let m = &c.meta;
    if m.rate_limit.insights_per_hour > m.rate_limit.calls_per_hour {
        return bad(
            "meta.rate_limit.insights_per_hour",
            format!(
                "insights calls are calls too: {} is more than calls_per_hour {}",
                m.rate_limit.insights_per_hour, m.rate_limit.calls_per_hour
            ),
        );
    }
    if m.retry.max_backoff_seconds < m.retry.backoff_seconds {
        return bad(
            "meta.retry.max_backoff_seconds",
            format!(
                "must be at least backoff_seconds ({}), got {}",
                m.retry.backoff_seconds, m.retry.max_backoff_seconds
            ),
        );
    }
    if m.timeouts.operation_seconds < m.timeouts.attempt_seconds {
        return bad(
            "meta.timeouts",
            format!(
                "need 0 < attempt_seconds ≤ operation_seconds, got {} and {}",
                m.timeouts.attempt_seconds, m.timeouts.operation_seconds
            ),
        );
    }
    if m.report_run.max_poll_seconds < m.report_run.poll_seconds {
        return bad(
            "meta.report_run.max_poll_seconds",
            format!(
                "must be at least poll_seconds ({}), got {}",
                m.report_run.poll_seconds, m.report_run.max_poll_seconds
            ),
        );
    }
    let url = &c.warehouse.url;
    if !(url.starts_with("sqlite://") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return bad(
            "warehouse.url",
            format!(
                "must start with sqlite:// (e.g. sqlite://meta_ads.db) or postgres:// (e.g. postgres://user@host/db), got {:?}",
                redact_urls(url)
            ),
        );
    }
    validate_sync(c, today)
}

fn validate_base_url(base_url: &str) -> Result<(), ConfigError> {
    let bad = |msg: String| Err(ConfigError::Invalid { key: "meta.base_url".to_string(), message: msg });
    let example = super::model::DEFAULT_BASE_URL;
    let shown = redact_urls(base_url);
    if has_credentials(base_url) {
        return bad(format!(
            "must not carry a user name or password ({shown:?}); Graph takes the token from \
             meta.access_token, in a header"
        ));
    }
    let parsed = reqwest::Url::parse(base_url);
    let http = parsed.as_ref().is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
    if !http {
        return bad(format!(
            "must be an http(s) URL ending in the API version, e.g. {example}, got {shown:?}"
        ));
    }
    if parsed.as_ref().is_ok_and(|u| u.query().is_some() || u.fragment().is_some()) {
        return bad(format!("must have no ?query or #fragment, e.g. {example}, got {shown:?}"));
    }
    if super::versions::version_of(base_url).is_none() {
        return bad(format!("must end with the API version, e.g. {example}, got {shown:?}"));
    }
    Ok(())
}

fn validate_sync(c: &Config, today: NaiveDate) -> Result<(), ConfigError> {
    let bad = |key: &str, msg: String| Err(ConfigError::Invalid { key: key.to_string(), message: msg });
    let s = &c.sync;
    for business in &s.businesses {
        if business.is_empty() || !business.bytes().all(|b| b.is_ascii_digit()) {
            return bad(
                "sync.businesses",
                format!("{business:?} is not a business id; use the number Business Settings shows"),
            );
        }
    }
    if let Some(date) = s.start_date {
        let oldest = oldest_insights_day(today);
        if date < oldest {
            return bad(
                "sync.start_date",
                format!(
                    "Meta keeps insights for {INSIGHTS_RETENTION_MONTHS} months; use {oldest} or later, got {date}"
                ),
            );
        }
        if let Err(why) = check_insights_window(Some(date), None, today) {
            return bad("sync.start_date", why);
        }
    }
    if s.conversion_action_types.iter().all(|t| t.trim().is_empty()) {
        return bad(
            "sync.conversion_action_types",
            "list at least one action type, e.g. omni_purchase".to_string(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn windows() {
        let today = d("2026-12-01");
        assert_eq!(oldest_insights_day(today), d("2023-11-01"));
        assert!(check_insights_window(Some(d("2023-11-01")), Some(today), today).is_ok());
        assert!(check_insights_window(Some(d("2020-01-01")), Some(d("2024-01-01")), today).is_ok());
        assert!(check_insights_window(None, None, today).is_ok());
        assert!(check_insights_window(Some(d("2026-12-02")), None, today).is_ok(), "a day ahead: UTC+14");
        let future = check_insights_window(Some(d("2026-12-03")), None, today).unwrap_err();
        assert!(future.contains("in the future"), "{future}");
        let old = check_insights_window(Some(d("2020-01-01")), Some(d("2023-10-31")), today).unwrap_err();
        assert!(old.contains("wholly before") && old.contains("2023-11-01"), "{old}");
    }
}
