//! Usage headers (docs/graph-api.md §2.1–§2.6): `x-app-usage`, `x-ad-account-usage`,
//! `x-business-use-case-usage` and `x-fb-ads-insights-throttle`. Parsed leniently: a header that
//! is absent or garbled is simply not there, it never fails a call.
//!
//! Every number is clamped on the way in, so no value the server sends (`1e300`, negative,
//! `"NaN"`, `"inf"`) can overflow a `Duration` or an `Instant` further on: percentages to
//! `0..=`[`MAX_PCT`], waits to at most [`MAX_SERVER_WAIT`].

use std::time::Duration;

use serde_json::Value;

use crate::ids::AccountId;

/// Highest usage percentage taken from a header (Meta reports more than 100 when over budget).
pub const MAX_PCT: f64 = 1000.0;

/// Longest wait taken from a header (`estimated_time_to_regain_access`, `reset_time_duration`):
/// Meta's blocks last minutes to an hour (docs/graph-api.md §2.3, §2.5); a longer figure is
/// garbled, and a day is as long as any scheduled run should trust it.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(24 * 3600);

/// `x-app-usage`: whole-number percentages of the app's rolling one-hour budget.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AppUsage {
    /// Percentage of calls used.
    pub call_count: f64,
    /// Percentage of total time used.
    pub total_time: f64,
    /// Percentage of CPU time used.
    pub total_cputime: f64,
}

/// `x-ad-account-usage`: usage of the ad account the request was for.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AdAccountUsage {
    /// Percentage of the account's budget used.
    pub acc_id_util_pct: f64,
    /// Seconds until the score resets to 0.
    pub reset_time_duration: Option<f64>,
}

/// One entry of `x-business-use-case-usage`, keyed by a business object (an ad account id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BucUsage {
    /// The business object id (ad account id without `act_`).
    pub object_id: String,
    /// Rate limit type, e.g. `ads_management`, `ads_insights`.
    pub kind: Option<String>,
    /// Percentage of calls used.
    pub call_count: f64,
    /// Percentage of total time used.
    pub total_time: f64,
    /// Percentage of CPU time used.
    pub total_cputime: f64,
    /// Minutes until access returns (0 when not blocked).
    pub estimated_time_to_regain_access: f64,
}

/// `x-fb-ads-insights-throttle`: async-insights throttle of the app and the account.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct InsightsThrottle {
    /// App utilisation percentage.
    pub app_id_util_pct: f64,
    /// Account utilisation percentage.
    pub acc_id_util_pct: f64,
}

/// Everything the usage headers of one response (or batch item) said.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    /// `x-app-usage`.
    pub app: Option<AppUsage>,
    /// `x-ad-account-usage` (for the request's account).
    pub ad_account: Option<AdAccountUsage>,
    /// `x-business-use-case-usage`, one entry per object and type.
    pub buc: Vec<BucUsage>,
    /// `x-fb-ads-insights-throttle` (for the request's account).
    pub insights: Option<InsightsThrottle>,
}

/// An ad account id in the form usage headers are keyed by (bare digits, see [`AccountId`]);
/// a key that is not an ad account id (a business id is bare digits too) stays as sent.
pub fn account_key(id: &str) -> String {
    AccountId::parse(id).map(|a| a.as_str().to_owned()).unwrap_or_else(|_| id.trim().to_owned())
}

/// A finite number (JSON number or numeric string); `NaN` and infinities are no number.
fn num(v: Option<&Value>) -> Option<f64> {
    let n = match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    n.is_finite().then_some(n)
}

/// A percentage, clamped to `0..=MAX_PCT`.
fn pct(v: Option<&Value>) -> f64 {
    num(v).unwrap_or(0.0).clamp(0.0, MAX_PCT)
}

/// A wait in `unit`s (60 for minutes), clamped to `0..=MAX_SERVER_WAIT`; `None` when not positive.
fn wait(value: f64, unit: f64) -> Option<Duration> {
    let secs = value * unit;
    (secs.is_finite() && secs > 0.0).then(|| Duration::from_secs_f64(secs.min(MAX_SERVER_WAIT.as_secs_f64())))
}

fn json_object(raw: Option<&str>) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_str(raw?.trim()).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

impl Usage {
    /// Parse from a case-insensitive header lookup (works for HTTP responses and batch items).
    pub fn from_headers<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Usage {
        let max_wait = MAX_SERVER_WAIT.as_secs_f64();
        let app = json_object(get("x-app-usage")).map(|m| AppUsage {
            call_count: pct(m.get("call_count")),
            total_time: pct(m.get("total_time")),
            total_cputime: pct(m.get("total_cputime")),
        });
        let ad_account = json_object(get("x-ad-account-usage")).map(|m| AdAccountUsage {
            acc_id_util_pct: pct(m.get("acc_id_util_pct")),
            reset_time_duration: num(m.get("reset_time_duration")).map(|s| s.clamp(0.0, max_wait)),
        });
        let insights = json_object(get("x-fb-ads-insights-throttle")).map(|m| InsightsThrottle {
            app_id_util_pct: pct(m.get("app_id_util_pct")),
            acc_id_util_pct: pct(m.get("acc_id_util_pct")),
        });
        let mut buc = Vec::new();
        for (object, entries) in json_object(get("x-business-use-case-usage")).unwrap_or_default() {
            let entries = match entries {
                Value::Array(a) => a,
                single @ Value::Object(_) => vec![single],
                _ => continue,
            };
            for e in entries {
                buc.push(BucUsage {
                    object_id: account_key(&object),
                    kind: e.get("type").and_then(Value::as_str).map(str::to_string),
                    call_count: pct(e.get("call_count")),
                    total_time: pct(e.get("total_time")),
                    total_cputime: pct(e.get("total_cputime")),
                    estimated_time_to_regain_access: num(e.get("estimated_time_to_regain_access"))
                        .unwrap_or(0.0)
                        .clamp(0.0, max_wait / 60.0),
                });
            }
        }
        Usage { app, ad_account, buc, insights }
    }

    /// True when no usage header was present.
    pub fn is_empty(&self) -> bool {
        self.app.is_none() && self.ad_account.is_none() && self.buc.is_empty() && self.insights.is_none()
    }

    /// Highest utilisation percentage the headers report for an ad account. `request_account` is
    /// the account the response belongs to (the un-keyed headers describe it).
    pub fn account_pct(&self, account: &str, request_account: Option<&str>) -> Option<f64> {
        let key = account_key(account);
        let own = request_account.map(account_key).as_deref() == Some(key.as_str());
        let mut pct: Option<f64> = None;
        let mut bump = |v: f64| pct = Some(pct.map_or(v, |p: f64| p.max(v)));
        for b in self.buc.iter().filter(|b| b.object_id == key) {
            bump(b.call_count.max(b.total_time).max(b.total_cputime));
        }
        if own {
            if let Some(a) = self.ad_account {
                bump(a.acc_id_util_pct);
            }
            if let Some(i) = self.insights {
                bump(i.acc_id_util_pct);
            }
        }
        pct
    }

    /// Highest app-wide utilisation percentage (`x-app-usage`, insights throttle app share).
    pub fn app_pct(&self) -> Option<f64> {
        let a = self.app.map(|a| a.call_count.max(a.total_time).max(a.total_cputime));
        let i = self.insights.map(|i| i.app_id_util_pct);
        match (a, i) {
            (Some(a), Some(i)) => Some(a.max(i)),
            (a, i) => a.or(i),
        }
    }

    /// Ad accounts (keys) the headers say something about, besides the request's own.
    pub fn accounts(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.buc.iter().map(|b| b.object_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// `estimated_time_to_regain_access` for an account (minutes on the wire), when non-zero.
    pub fn regain_access_for(&self, account: &str) -> Option<Duration> {
        let key = account_key(account);
        let key = key.as_str();
        minutes(self.buc.iter().filter(|b| b.object_id == key).map(|b| b.estimated_time_to_regain_access))
    }

    /// The longest `estimated_time_to_regain_access` of any entry, when non-zero.
    pub fn regain_access(&self) -> Option<Duration> {
        minutes(self.buc.iter().map(|b| b.estimated_time_to_regain_access))
    }

    /// `reset_time_duration` of `x-ad-account-usage` (seconds on the wire), when non-zero.
    pub fn account_reset(&self) -> Option<Duration> {
        wait(self.ad_account?.reset_time_duration?, 1.0)
    }
}

fn minutes(values: impl Iterator<Item = f64>) -> Option<Duration> {
    let max = values.filter(|m| m.is_finite() && *m > 0.0).fold(0.0_f64, f64::max);
    wait(max, 60.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(headers: &[(&str, &str)]) -> Usage {
        Usage::from_headers(|name| {
            headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
        })
    }

    #[test]
    fn parses_every_header() {
        let u = parse(&[
            ("X-App-Usage", r#"{"call_count":28,"total_time":25,"total_cputime":31}"#),
            (
                "x-ad-account-usage",
                r#"{"acc_id_util_pct":9.67,"reset_time_duration":100,"ads_api_access_tier":"standard_access"}"#,
            ),
            (
                "x-business-use-case-usage",
                r#"{"123":[{"type":"ads_management","call_count":80,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":0},
                           {"type":"ads_insights","call_count":5,"total_cputime":99,"total_time":1,"estimated_time_to_regain_access":19}],
                    "act_456":[{"type":"ads_management","call_count":3,"total_cputime":1,"total_time":1}]}"#,
            ),
            ("x-fb-ads-insights-throttle", r#"{"app_id_util_pct":40,"acc_id_util_pct":"80.5"}"#),
        ]);
        assert_eq!(u.app, Some(AppUsage { call_count: 28.0, total_time: 25.0, total_cputime: 31.0 }));
        assert_eq!(u.ad_account.unwrap().reset_time_duration, Some(100.0));
        assert_eq!(u.buc.len(), 3);
        assert_eq!(u.accounts(), vec!["123", "456"]);
        assert_eq!(u.account_pct("act_123", Some("act_123")), Some(99.0));
        assert_eq!(u.account_pct("456", Some("act_123")), Some(3.0));
        assert_eq!(u.account_pct("789", Some("act_123")), None);
        assert_eq!(u.app_pct(), Some(40.0));
        assert_eq!(u.regain_access_for("act_123"), Some(Duration::from_secs(19 * 60)));
        assert_eq!(u.regain_access_for("456"), None);
        assert_eq!(u.regain_access(), Some(Duration::from_secs(19 * 60)));
        assert_eq!(u.account_reset(), Some(Duration::from_secs(100)));
    }

    #[test]
    fn own_account_headers_apply_only_to_request_account() {
        let u = parse(&[("x-ad-account-usage", r#"{"acc_id_util_pct":91}"#)]);
        assert_eq!(u.account_pct("1", Some("act_1")), Some(91.0));
        assert_eq!(u.account_pct("2", Some("act_1")), None);
    }

    #[test]
    fn garbled_or_absent_headers_are_ignored() {
        let u = parse(&[
            ("x-app-usage", "not json"),
            ("x-business-use-case-usage", r#"{"1":"x","2":{"type":"t","call_count":"7"}}"#),
            ("x-fb-ads-insights-throttle", "[1,2]"),
        ]);
        assert!(u.app.is_none() && u.insights.is_none());
        assert_eq!(u.buc.len(), 1);
        assert_eq!(u.buc[0].call_count, 7.0);
        assert!(parse(&[]).is_empty());
        assert_eq!(parse(&[]).app_pct(), None);
    }

    #[test]
    fn absurd_numbers_are_clamped_never_panic() {
        let day = MAX_SERVER_WAIT;
        for (value, regain, pct) in [
            ("1e300", Some(day), MAX_PCT),
            ("-5", None, 0.0),
            (r#""NaN""#, None, 0.0),
            (r#""inf""#, None, 0.0),
            (r#""-inf""#, None, 0.0),
            ("18446744073709551616", Some(day), MAX_PCT),
            ("1e-300", None, 1e-300),
        ] {
            let u = parse(&[
                (
                    "x-app-usage",
                    &format!(r#"{{"call_count":{value},"total_time":{value},"total_cputime":1}}"#),
                ),
                (
                    "x-ad-account-usage",
                    &format!(r#"{{"acc_id_util_pct":{value},"reset_time_duration":{value}}}"#),
                ),
                (
                    "x-business-use-case-usage",
                    &format!(
                        r#"{{"act_1":[{{"type":"ads_insights","call_count":{value},"total_time":{value},"total_cputime":{value},"estimated_time_to_regain_access":{value}}}]}}"#
                    ),
                ),
                (
                    "x-fb-ads-insights-throttle",
                    &format!(r#"{{"app_id_util_pct":{value},"acc_id_util_pct":{value}}}"#),
                ),
            ]);
            // A sub-nanosecond wait rounds to nothing; any real positive one is at most a day.
            let regain_got = u.regain_access_for("1").filter(|d| !d.is_zero());
            assert_eq!(regain_got, regain, "{value}: estimated_time_to_regain_access");
            assert_eq!(u.account_reset().filter(|d| !d.is_zero()), regain, "{value}: reset_time_duration");
            assert_eq!(u.app_pct(), Some(pct.max(1.0)), "{value}: x-app-usage");
            assert_eq!(u.account_pct("act_1", Some("1")), Some(pct), "{value}: call_count, acc_id_util_pct");
            assert!(u.regain_access().is_none_or(|d| d <= day));
        }
    }
}
