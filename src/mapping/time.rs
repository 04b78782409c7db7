//! Timestamps and report dates.
//!
//! Entity timestamps arrive as ISO 8601 with a numeric offset and no colon,
//! `2026-09-03T10:00:00-0700` (docs/graph-api.md §6), and are stored in UTC. Also accepted: `+0000`, colon
//! offsets and `Z` (RFC 3339), fractional seconds, and `2026-09-03T10:00:00 0000` — the form a
//! `+` takes after being URL-decoded to a space, which peers patch the same way. Insights
//! `date_start`/`date_stop` are plain `YYYY-MM-DD` days in the ad account's time zone and stay
//! dates: converting them to UTC would move spend to the wrong day.

use chrono::{DateTime, NaiveDate, Utc};

use super::error::{ValueError, clip};

/// Parses a Graph timestamp (`2026-09-03T10:00:00-0700`) to UTC.
pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, ValueError> {
    let repaired = repair_decoded_plus(s);
    let t = repaired.as_deref().unwrap_or(s);
    DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z")
        .or_else(|_| DateTime::parse_from_rfc3339(t))
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| ValueError::Timestamp(clip(s)))
}

/// Parses an insights report day (`2026-09-03`).
pub fn parse_date(s: &str) -> Result<NaiveDate, ValueError> {
    // chrono accepts unpadded fields; Meta always pads, so anything else is not its format.
    if s.len() != 10 {
        return Err(ValueError::Date(clip(s)));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ValueError::Date(clip(s)))
}

/// `…T10:00:00 0000` → `…T10:00:00+0000`: only a `+` is lost to URL decoding, so a space
/// followed by an offset's digits after the time part stands for `+`.
fn repair_decoded_plus(s: &str) -> Option<String> {
    let time_at = s.find('T')?;
    let space = s.rfind(' ')?;
    let offset = &s[space + 1..];
    let looks_like_offset = space > time_at
        && matches!(offset.len(), 4 | 5)
        && offset.bytes().all(|b| b.is_ascii_digit() || b == b':');
    looks_like_offset.then(|| format!("{}+{offset}", &s[..space]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_to_utc() {
        let cases = [
            ("2026-09-03T10:00:00-0700", "2026-09-03T17:00:00Z"),
            ("2026-09-03T10:00:00+0530", "2026-09-03T04:30:00Z"),
            ("2026-09-03T10:00:00+0000", "2026-09-03T10:00:00Z"),
            ("2026-09-03T10:00:00 0000", "2026-09-03T10:00:00Z"),
            ("2026-09-03T10:00:00 0530", "2026-09-03T04:30:00Z"),
            ("2026-09-03T10:00:00 05:30", "2026-09-03T04:30:00Z"),
            ("2026-09-03T10:00:00-07:00", "2026-09-03T17:00:00Z"),
            ("2026-09-03T10:00:00Z", "2026-09-03T10:00:00Z"),
            ("2026-09-03T10:00:00.250-0700", "2026-09-03T17:00:00.250Z"),
            ("2025-11-11T14:25:17-0800", "2025-11-11T22:25:17Z"),
            ("2026-12-31T23:30:00-0100", "2027-01-01T00:30:00Z"),
        ];
        for (input, want) in cases {
            let want: DateTime<Utc> = want.parse().unwrap();
            assert_eq!(parse_timestamp(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn bad_timestamps_are_errors() {
        for bad in [
            "",
            "2026-09-03",
            "2026-09-03T10:00:00",
            "2026-09-03 10:00:00 0000",
            "2026-13-03T10:00:00+0000",
            "2026-09-03T10:00:00-0700 trailing",
            "1756918800",
            "yesterday",
        ] {
            assert_eq!(parse_timestamp(bad), Err(ValueError::Timestamp(bad.into())), "{bad:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-09-03"), Ok(NaiveDate::from_ymd_opt(2026, 9, 3).unwrap()));
        assert_eq!(parse_date("2028-02-29"), Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()));
        for bad in ["", "2026-9-3", "2026-02-30", "2026-09-03T00:00:00+0000", "03/09/2026", "2026-09-0x"] {
            assert_eq!(parse_date(bad), Err(ValueError::Date(bad.into())), "{bad:?}");
        }
    }
}
