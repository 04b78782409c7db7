//! API versions (docs/graph-api.md §9, Marketing API dates): a version Meta retired before the
//! simulator's `now` answers 400 code 2635.

use super::errors::ApiError;
use chrono::{DateTime, NaiveDate, Utc};

/// Marketing API retirement dates (major version, retired on).
const RETIRED: [(u32, (i32, u32, u32)); 8] = [
    (18, (2024, 8, 13)),
    (19, (2025, 2, 4)),
    (20, (2025, 5, 6)),
    (21, (2025, 9, 9)),
    (22, (2026, 2, 19)),
    (23, (2026, 6, 9)),
    (24, (2026, 11, 10)),
    (25, (2027, 2, 23)),
];

/// Newest version the simulator knows (v27.0, released Nov 4 2026).
const NEWEST: u32 = 27;

/// Splits `/v25.0/rest` into (`Some("v25.0")`, `/rest`); unversioned paths pass through.
pub(crate) fn split(path: &str) -> (Option<&str>, &str) {
    let trimmed = path.trim_start_matches('/');
    let (first, rest) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    let is_version = first.len() > 1
        && first.starts_with('v')
        && first[1..].split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if is_version {
        (Some(first), &path[path.len() - rest.len() - usize::from(!rest.is_empty())..])
    } else {
        (None, path)
    }
}

/// Checks a version against the clock.
pub(crate) fn check(version: &str, now: DateTime<Utc>, latest: &str) -> Result<(), ApiError> {
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| ApiError::invalid(&format!("Unknown version: {version}")))?;
    if major > NEWEST {
        return Err(ApiError::new(2500, format!("Unknown path components: /{version}")));
    }
    let retired = match RETIRED.iter().find(|(m, _)| *m == major) {
        Some((_, (y, mo, d))) => {
            NaiveDate::from_ymd_opt(*y, *mo, *d).is_some_and(|day| now.date_naive() >= day)
        }
        None => major < RETIRED[0].0,
    };
    if retired {
        return Err(ApiError::deprecated_version(latest));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_retires() {
        assert_eq!(split("/v25.0/act_1/insights"), (Some("v25.0"), "/act_1/insights"));
        assert_eq!(split("/v25.0"), (Some("v25.0"), ""));
        assert_eq!(split("/act_1"), (None, "/act_1"));
        let now = "2026-11-29T00:00:00Z".parse().unwrap();
        assert_eq!(check("v24.0", now, "v25.0").unwrap_err().code, 2635);
        assert_eq!(check("v17.0", now, "v25.0").unwrap_err().code, 2635);
        assert!(check("v25.0", now, "v25.0").is_ok());
        assert!(check("v27.0", now, "v25.0").is_ok());
    }
}
