//! Marketing API version lifetimes (docs/graph-api.md §9) and the start-up warning about retiring versions.

use chrono::NaiveDate;

/// A calendar day as (year, month, day), so the table below can be a `const`.
type Ymd = (i32, u32, u32);

/// Retirement dates of Marketing API versions, from Meta's changelog (docs/graph-api.md §9). `None` = not
/// announced yet.
const RETIREMENTS: &[(&str, Option<Ymd>)] = &[
    ("v18.0", Some((2024, 8, 13))),
    ("v19.0", Some((2025, 2, 4))),
    ("v20.0", Some((2025, 5, 6))),
    ("v21.0", Some((2025, 9, 9))),
    ("v22.0", Some((2026, 2, 19))),
    ("v23.0", Some((2026, 6, 9))),
    ("v24.0", Some((2026, 11, 10))),
    ("v25.0", Some((2027, 2, 23))),
    ("v26.0", None),
    ("v27.0", None),
];

/// How close to retirement a version must be before the worker warns.
pub const WARN_DAYS_BEFORE_RETIREMENT: i64 = 90;

/// What the worker should say about the configured API version at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionStatus {
    /// Served and not retiring within the warning period.
    Current,
    /// Served, but retires on the given day, within the warning period.
    RetiresSoon(NaiveDate),
    /// Retired on the given day: calls fail with error 2635.
    Retired(NaiveDate),
    /// Not in the table (newer than this build, or a typo).
    Unknown,
}

/// Extracts `vNN.N` from a versioned base URL such as `https://graph.facebook.com/v25.0`.
pub fn version_of(base_url: &str) -> Option<&str> {
    let last = base_url.trim_end_matches('/').rsplit('/').next()?;
    let digits = last.strip_prefix('v')?;
    let (major, minor) = digits.split_once('.')?;
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (numeric(major) && numeric(minor)).then_some(last)
}

/// Classifies `version` as of `today`.
pub fn version_status(version: &str, today: NaiveDate) -> VersionStatus {
    let Some((_, retires)) = RETIREMENTS.iter().find(|(v, _)| *v == version) else {
        return VersionStatus::Unknown;
    };
    let Some((y, m, d)) = *retires else { return VersionStatus::Current };
    let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid table date");
    if date <= today {
        VersionStatus::Retired(date)
    } else if (date - today).num_days() <= WARN_DAYS_BEFORE_RETIREMENT {
        VersionStatus::RetiresSoon(date)
    } else {
        VersionStatus::Current
    }
}

/// The warning to log at start for `base_url` as of `today`, if any.
pub fn version_warning(base_url: &str, today: NaiveDate) -> Option<String> {
    let Some(version) = version_of(base_url) else {
        return Some(format!(
            "meta.base_url {base_url:?} has no API version at its end; use a versioned root such as {}",
            super::model::DEFAULT_BASE_URL
        ));
    };
    match version_status(version, today) {
        VersionStatus::Current => None,
        VersionStatus::RetiresSoon(d) => Some(format!(
            "Marketing API {version} retires on {d}; move meta.base_url to a newer version (e.g. {}) before then",
            super::model::DEFAULT_BASE_URL
        )),
        VersionStatus::Retired(d) => Some(format!(
            "Marketing API {version} was retired on {d} and Meta rejects calls to it; set meta.base_url to a served version (e.g. {})",
            super::model::DEFAULT_BASE_URL
        )),
        VersionStatus::Unknown => Some(format!(
            "Marketing API {version} is not a version this build knows; check meta.base_url (default {})",
            super::model::DEFAULT_BASE_URL
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn statuses() {
        let today = day(2026, 11, 29);
        assert_eq!(version_status("v18.0", today), VersionStatus::Retired(day(2024, 8, 13)));
        assert_eq!(version_status("v24.0", today), VersionStatus::Retired(day(2026, 11, 10)));
        assert_eq!(version_status("v25.0", today), VersionStatus::RetiresSoon(day(2027, 2, 23)));
        assert_eq!(version_status("v25.0", day(2026, 11, 24)), VersionStatus::Current);
        assert_eq!(version_status("v27.0", today), VersionStatus::Current);
        assert_eq!(version_status("v99.0", today), VersionStatus::Unknown);
    }

    #[test]
    fn versions_from_urls() {
        assert_eq!(version_of("https://graph.facebook.com/v25.0"), Some("v25.0"));
        assert_eq!(version_of("http://127.0.0.1:9/v26.0/"), Some("v26.0"));
        assert_eq!(version_of("https://graph.facebook.com"), None);
    }

    #[test]
    fn warning_text_names_the_fix() {
        let w = version_warning("https://graph.facebook.com/v18.0", day(2026, 11, 29)).unwrap();
        assert!(w.contains("retired on 2024-08-13") && w.contains("meta.base_url"), "{w}");
        assert!(version_warning("https://graph.facebook.com/v26.0", day(2026, 11, 29)).is_none());
    }
}
