//! Insights dates (docs/graph-api.md §5.2): `time_range`, `time_ranges`, `date_preset`
//! resolved in the account's calendar, and `time_increment` buckets.

use crate::sim::errors::ApiError;
use crate::sim::fields::known::{self, List};
use crate::sim::request::Params;
use crate::sim::world::{day_date, day_number};
use chrono::{Datelike, NaiveDate};

/// How days are grouped into rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Increment {
    /// Buckets of N days starting at `since`.
    Days(u32),
    /// Calendar months.
    Monthly,
    /// One row for the whole range.
    AllDays,
}

/// Which days: an explicit range or a preset resolved in the account's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dates {
    Range(NaiveDate, NaiveDate),
    Preset(String),
}

/// `time_range` as JSON or as `time_range[since]` / `time_range[until]`.
pub(crate) fn time_range(p: &Params) -> Result<Option<Dates>, ApiError> {
    let bad = || {
        ApiError::invalid(
            "param time_range must be an object {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}",
        )
    };
    let (since, until) = if let Some(raw) = p.get("time_range") {
        let v: serde_json::Value = serde_json::from_str(raw).map_err(|_| bad())?;
        let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        (get("since").ok_or_else(bad)?, get("until").ok_or_else(bad)?)
    } else if let (Some(s), Some(u)) = (p.get("time_range[since]"), p.get("time_range[until]")) {
        (s.to_string(), u.to_string())
    } else {
        return Ok(None);
    };
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad());
    let (since, until) = (parse(&since)?, parse(&until)?);
    if since > until {
        return Err(ApiError::invalid("time_range: since must be on or before until"));
    }
    Ok(Some(Dates::Range(since, until)))
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1")
}

fn prev_month_start(d: NaiveDate) -> NaiveDate {
    let m = month_start(d);
    month_start(m - chrono::Duration::days(1))
}

fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).expect("quarter")
}

/// Resolves dates to day numbers `(since, until)` given the account's `today` and its first
/// day of data (`data_maximum`).
pub(crate) fn resolve(dates: &Dates, today: i32, first_data_day: i32) -> Result<(i32, i32), ApiError> {
    let t = day_date(today);
    let d = |x: NaiveDate| day_number(x);
    let weekday = t.weekday().num_days_from_monday() as i32;
    Ok(match dates {
        Dates::Range(s, u) => (d(*s), d(*u)),
        Dates::Preset(p) => match p.as_str() {
            "today" => (today, today),
            "yesterday" => (today - 1, today - 1),
            "last_3d" => (today - 3, today - 1),
            "last_7d" => (today - 7, today - 1),
            "last_14d" => (today - 14, today - 1),
            "last_28d" => (today - 28, today - 1),
            "last_30d" => (today - 30, today - 1),
            "last_90d" => (today - 90, today - 1),
            "this_month" => (d(month_start(t)), today),
            "last_month" => (d(prev_month_start(t)), d(month_start(t)) - 1),
            "this_quarter" => (d(quarter_start(t)), today),
            "last_quarter" => {
                let q = quarter_start(t);
                (d(quarter_start(q - chrono::Duration::days(1))), d(q) - 1)
            }
            "this_year" => (d(NaiveDate::from_ymd_opt(t.year(), 1, 1).expect("jan 1")), today),
            "last_year" => (
                d(NaiveDate::from_ymd_opt(t.year() - 1, 1, 1).expect("jan 1")),
                d(NaiveDate::from_ymd_opt(t.year() - 1, 12, 31).expect("dec 31")),
            ),
            "this_week_mon_today" => (today - weekday, today),
            "this_week_sun_today" => (today - (weekday + 1) % 7, today),
            "last_week_mon_sun" => (today - weekday - 7, today - weekday - 1),
            "last_week_sun_sat" => {
                let sun = today - (weekday + 1) % 7;
                (sun - 7, sun - 1)
            }
            "maximum" => (d(t - chrono::Months::new(37)), today),
            "data_maximum" => (first_data_day.min(today), today),
            _ => return Err(ApiError::invalid("date_preset")),
        },
    })
}

/// Splits `[since, until]` into row buckets.
pub(crate) fn buckets(inc: Increment, since: i32, until: i32) -> Vec<(i32, i32)> {
    if since > until {
        return Vec::new();
    }
    match inc {
        Increment::AllDays => vec![(since, until)],
        Increment::Days(n) => {
            (since..=until).step_by(n as usize).map(|s| (s, (s + n as i32 - 1).min(until))).collect()
        }
        Increment::Monthly => {
            let mut out = Vec::new();
            let mut s = since;
            while s <= until {
                let next = month_start(day_date(s)) + chrono::Months::new(1);
                let e = (day_number(next) - 1).min(until);
                out.push((s, e));
                s = e + 1;
            }
            out
        }
    }
}

/// `time_ranges`: several ranges in one query, one result set each (overlaps allowed). The
/// JSON array of `{since, until}` objects, or the same objects as a comma list.
pub(crate) fn time_ranges(p: &Params) -> Result<Vec<(NaiveDate, NaiveDate)>, ApiError> {
    let Some(raw) = p.get("time_ranges").map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    let bad = || {
        ApiError::invalid(
            "param time_ranges must be an array of objects {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}",
        )
    };
    let text = if raw.starts_with('[') { raw.to_string() } else { format!("[{raw}]") };
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| bad())?;
    let items = v.as_array().ok_or_else(bad)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let get = |k: &str| item.get(k).and_then(|x| x.as_str()).ok_or_else(bad);
        let (since, until) = (date(get("since")?).ok_or_else(bad)?, date(get("until")?).ok_or_else(bad)?);
        if since > until {
            return Err(ApiError::invalid("time_ranges: since must be on or before until"));
        }
        out.push((since, until));
    }
    Ok(out)
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Refuses a `date_preset` not in the SDK's enum (e.g. `lifetime`, disabled since v10,
/// docs/graph-api.md §5.2) with Meta's enum message. Every value of the enum resolves.
pub(crate) fn check_preset(dates: &Dates) -> Result<(), ApiError> {
    let Dates::Preset(name) = dates else { return Ok(()) };
    let allowed = known::names(List::DatePresets);
    if allowed.contains(&name.as_str()) {
        return Ok(());
    }
    Err(ApiError::invalid(&format!(
        "date_preset must be one of the following values: {}, got {name}",
        allowed.join(", ")
    )))
}

/// `time_increment`: 1–90 days, `monthly`, or `all_days` (the default).
pub(crate) fn increment(raw: Option<&str>) -> Result<Increment, ApiError> {
    Ok(match raw.map(str::trim) {
        None | Some("all_days") | Some("") => Increment::AllDays,
        Some("monthly") => Increment::Monthly,
        Some(n) => match n.parse::<u32>() {
            Ok(n) if (1..=90).contains(&n) => Increment::Days(n),
            _ => {
                return Err(ApiError::invalid(
                    "time_increment must be an integer between 1 and 90, monthly or all_days",
                ));
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_exclude_today_and_buckets_cover_the_range() {
        let today = day_number(NaiveDate::from_ymd_opt(2026, 9, 3).unwrap());
        assert_eq!(resolve(&Dates::Preset("last_7d".into()), today, 0).unwrap(), (today - 7, today - 1));
        let (s, u) = resolve(&Dates::Preset("last_month".into()), today, 0).unwrap();
        assert_eq!(
            (day_date(s).to_string(), day_date(u).to_string()),
            ("2026-08-01".into(), "2026-08-31".into())
        );
        assert_eq!(buckets(Increment::Days(7), 0, 15), vec![(0, 6), (7, 13), (14, 15)]);
        assert_eq!(buckets(Increment::Monthly, s, u + 3).len(), 2);
        for p in known::names(List::DatePresets) {
            let d = Dates::Preset(p.to_string());
            assert!(check_preset(&d).is_ok() && resolve(&d, today, today - 100).is_ok(), "{p}");
        }
        assert!(check_preset(&Dates::Preset("lifetime".into())).is_err());
    }
}
