//! Pure planning: which days of insights to (re)load, how to cut them into chunks, and from
//! which `updated_time` to list entities. No I/O; the clock is an argument.

use std::collections::HashMap;

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::config::INSIGHTS_RETENTION_MONTHS;
use crate::ids::AccountId;
use crate::model::InsightLevel;

/// Objects per level of each account, for sizing insights chunks (account level: 1).
pub type ObjectCounts = HashMap<(AccountId, InsightLevel), usize>;

/// Days loaded by the first insights sync of an account when `sync.start_date` is not set.
pub const DEFAULT_FIRST_SYNC_DAYS: u64 = 90;

/// An inclusive range of report days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateWindow {
    /// First day.
    pub since: NaiveDate,
    /// Last day (inclusive).
    pub until: NaiveDate,
}

impl DateWindow {
    /// Number of days in the window.
    pub fn days(&self) -> u64 {
        (self.until - self.since).num_days() as u64 + 1
    }

    /// Splits into consecutive windows of at most `days` days, oldest first.
    pub fn chunks(&self, days: u64) -> Vec<DateWindow> {
        let days = days.max(1);
        let mut out = Vec::new();
        let mut since = self.since;
        while since <= self.until {
            let until = (since + Days::new(days - 1)).min(self.until);
            out.push(DateWindow { since, until });
            since = until + Days::new(1);
        }
        out
    }

    /// The two halves of the window (for "too much data"), or `None` for a single day.
    pub fn halves(&self) -> Option<(DateWindow, DateWindow)> {
        let days = self.days();
        if days < 2 {
            return None;
        }
        let mid = self.since + Days::new(days / 2 - 1);
        Some((
            DateWindow { since: self.since, until: mid },
            DateWindow { since: mid + Days::new(1), until: self.until },
        ))
    }
}

/// "Today" for an ad account: Meta reports days in the account's time zone (an unknown zone
/// name falls back to UTC, which Meta never sends but a hand-made config might).
pub fn today_in(timezone_name: &str, now: DateTime<Utc>) -> NaiveDate {
    match timezone_name.parse::<Tz>() {
        Ok(tz) => now.with_timezone(&tz).date_naive(),
        Err(_) => now.date_naive(),
    }
}

/// Oldest day Meta still serves insights for (37 months back).
pub fn retention_floor(today: NaiveDate) -> NaiveDate {
    today - Months::new(INSIGHTS_RETENTION_MONTHS)
}

/// Inputs of [`insights_window`].
#[derive(Debug, Clone, Copy)]
pub struct WindowInputs {
    /// Last day already loaded (the insights cursor), if any.
    pub cursor: Option<NaiveDate>,
    /// Days before the cursor re-read because Meta restates them.
    pub lookback_days: u32,
    /// First day of the first sync (`sync.start_date`), if configured.
    pub start_date: Option<NaiveDate>,
    /// Today in the account's time zone.
    pub today: NaiveDate,
    /// `--since` from the command line: reload from this day whatever the cursor says.
    pub since_override: Option<NaiveDate>,
    /// `--until` from the command line.
    pub until_override: Option<NaiveDate>,
}

/// The days to load this run: from the cursor minus the lookback (or the start date on the
/// first run) up to today, clamped to Meta's retention. `None` when there is nothing to load.
pub fn insights_window(i: WindowInputs) -> Option<DateWindow> {
    let first_day = i.start_date.unwrap_or(i.today - Days::new(DEFAULT_FIRST_SYNC_DAYS - 1));
    let since = match (i.since_override, i.cursor) {
        (Some(day), _) => day,
        (None, Some(cursor)) => (cursor - Days::new(u64::from(i.lookback_days))).max(first_day),
        (None, None) => first_day,
    };
    let since = since.max(retention_floor(i.today));
    let until = i.until_override.unwrap_or(i.today).min(i.today);
    (since <= until).then_some(DateWindow { since, until })
}

/// Days per insights chunk so that one chunk holds about `target_rows` rows when `objects` rows
/// can exist per day. Each chunk is committed with its cursor in one transaction, so this bounds
/// memory; it is large enough that chunking adds few calls beyond the minimum.
pub fn days_per_chunk(objects: usize, target_rows: usize) -> u64 {
    (target_rows / objects.max(1)).clamp(1, 366) as u64
}

/// The `updated_time GREATER_THAN` bound for an incremental entity listing: the cursor (unix
/// seconds of the newest `updated_time` stored) minus an overlap for clock skew and writes that
/// land while Meta's listing is being read. `None` (list everything) on the first run.
pub fn updated_since(cursor: Option<i64>, overlap_seconds: i64) -> Option<i64> {
    cursor.map(|c| (c - overlap_seconds).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn inputs(today: &str) -> WindowInputs {
        WindowInputs {
            cursor: None,
            lookback_days: 28,
            start_date: None,
            today: d(today),
            since_override: None,
            until_override: None,
        }
    }

    #[test]
    fn first_run_loads_ninety_days_by_default() {
        let w = insights_window(inputs("2026-11-29")).unwrap();
        assert_eq!((w.since, w.until, w.days()), (d("2026-09-01"), d("2026-11-29"), 90));
    }

    #[test]
    fn later_runs_start_at_cursor_minus_lookback() {
        let w =
            insights_window(WindowInputs { cursor: Some(d("2026-11-28")), ..inputs("2026-11-29") }).unwrap();
        assert_eq!((w.since, w.until), (d("2026-10-31"), d("2026-11-29")));
        // never before the configured first day
        let w = insights_window(WindowInputs {
            cursor: Some(d("2026-11-28")),
            start_date: Some(d("2026-11-20")),
            ..inputs("2026-11-29")
        })
        .unwrap();
        assert_eq!(w.since, d("2026-11-20"));
    }

    #[test]
    fn overrides_and_retention() {
        let w = insights_window(WindowInputs {
            since_override: Some(d("2020-01-01")),
            until_override: Some(d("2030-01-01")),
            ..inputs("2026-11-29")
        })
        .unwrap();
        assert_eq!((w.since, w.until), (d("2023-10-29"), d("2026-11-29")));
        let none =
            insights_window(WindowInputs { until_override: Some(d("2026-01-01")), ..inputs("2026-11-29") });
        assert_eq!(none, None);
    }

    #[test]
    fn chunks_cover_the_window_exactly() {
        let w = DateWindow { since: d("2026-01-30"), until: d("2026-03-02") };
        let chunks = w.chunks(10);
        assert_eq!(chunks.first().unwrap().since, w.since);
        assert_eq!(chunks.last().unwrap().until, w.until);
        assert_eq!(chunks.iter().map(DateWindow::days).sum::<u64>(), w.days());
        for pair in chunks.windows(2) {
            assert_eq!(pair[0].until + Days::new(1), pair[1].since);
        }
        assert_eq!(w.chunks(1000), vec![w]);
    }

    #[test]
    fn halves_split_without_gaps() {
        let w = DateWindow { since: d("2026-01-01"), until: d("2026-01-05") };
        let (a, b) = w.halves().unwrap();
        assert_eq!(
            (a.since, a.until, b.since, b.until),
            (d("2026-01-01"), d("2026-01-02"), d("2026-01-03"), d("2026-01-05"))
        );
        assert_eq!(DateWindow { since: w.since, until: w.since }.halves(), None);
    }

    #[test]
    fn today_follows_the_account_time_zone() {
        let now: DateTime<Utc> = "2026-11-29T05:30:00Z".parse().unwrap();
        assert_eq!(today_in("America/Los_Angeles", now), d("2026-11-28"));
        assert_eq!(today_in("Asia/Tokyo", now), d("2026-11-29"));
        assert_eq!(today_in("Not/AZone", now), d("2026-11-29"));
    }

    #[test]
    fn chunk_sizes_and_entity_bounds() {
        assert_eq!(days_per_chunk(100, 20_000), 200);
        assert_eq!(days_per_chunk(1_000_000, 20_000), 1);
        assert_eq!(days_per_chunk(0, 20_000), 366);
        assert_eq!(updated_since(None, 300), None);
        assert_eq!(updated_since(Some(1_000), 300), Some(700));
    }
}
