//! Value encoding shared by both backends: exact decimal text, fixed-width ISO-8601 UTC
//! timestamps (microseconds, like PostgreSQL's `timestamptz`), dates and JSON, plus the parsers
//! that read them back.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rust_decimal::Decimal;

use super::error::WarehouseError;

/// Appends the canonical text of `d`: plain notation, no trailing fractional zeros, `0` for
/// zero. One value has one spelling, so equal amounts are equal text on SQLite.
pub(crate) fn push_decimal(out: &mut String, d: &Decimal) {
    let scale = d.scale() as usize;
    let mantissa = d.mantissa();
    let mut digits = itoa_u128(mantissa.unsigned_abs());
    let mut scale = scale;
    while scale > 0 && digits.ends_with('0') {
        digits.pop();
        scale -= 1;
    }
    if digits == "0" || digits.is_empty() {
        out.push('0');
        return;
    }
    if mantissa < 0 {
        out.push('-');
    }
    if scale == 0 {
        out.push_str(&digits);
    } else if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(&digits);
    }
}

/// The canonical decimal text of `d` (see [`push_decimal`]).
#[cfg(test)]
pub(crate) fn decimal_text(d: &Decimal) -> String {
    let mut s = String::with_capacity(16);
    push_decimal(&mut s, d);
    s
}

fn itoa_u128(mut v: u128) -> String {
    if v == 0 {
        return "0".to_string();
    }
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    while v > 0 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    String::from_utf8_lossy(&buf[i..]).into_owned()
}

/// Appends `ts` as `YYYY-MM-DDTHH:MM:SS.ffffffZ`: fixed width so text order is time order, and
/// microseconds because that is what PostgreSQL keeps (both backends store the same instant).
pub(crate) fn push_timestamp(out: &mut String, ts: &DateTime<Utc>) {
    let t = ts.naive_utc();
    let mut buf = [0u8; 27];
    let put = |buf: &mut [u8], at: usize, width: usize, mut v: u32| {
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(&mut buf, 0, 4, t.year() as u32);
    buf[4] = b'-';
    put(&mut buf, 5, 2, t.month());
    buf[7] = b'-';
    put(&mut buf, 8, 2, t.day());
    buf[10] = b'T';
    put(&mut buf, 11, 2, t.hour());
    buf[13] = b':';
    put(&mut buf, 14, 2, t.minute());
    buf[16] = b':';
    // A leap second shows as nanosecond >= 1e9; clamp into the same second.
    put(&mut buf, 17, 2, t.second());
    buf[19] = b'.';
    put(&mut buf, 20, 6, (t.nanosecond() % 1_000_000_000) / 1000);
    buf[26] = b'Z';
    out.push_str(std::str::from_utf8(&buf).expect("ascii digits"));
}

/// `ts` as stored (see [`push_timestamp`]).
pub(crate) fn timestamp_text(ts: &DateTime<Utc>) -> String {
    let mut s = String::with_capacity(27);
    push_timestamp(&mut s, ts);
    s
}

/// `ts` cut to whole microseconds: the precision both backends store.
pub(crate) fn to_micros(ts: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(ts.timestamp_micros()).unwrap_or(ts)
}

/// Appends `d` as `YYYY-MM-DD`.
pub(crate) fn push_date(out: &mut String, d: NaiveDate) {
    use std::fmt::Write;
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

/// Reads a stored decimal.
pub(crate) fn parse_decimal(
    table: &'static str,
    column: &'static str,
    s: &str,
) -> Result<Decimal, WarehouseError> {
    s.parse::<Decimal>().or_else(|_| Decimal::from_scientific(s)).map_err(|e| WarehouseError::Corrupt {
        table,
        column,
        detail: format!("{s:?}: {e}"),
    })
}

/// Reads a stored timestamp (`2026-01-02T03:04:05.000006Z`, or any RFC 3339 form).
pub(crate) fn parse_timestamp(
    table: &'static str,
    column: &'static str,
    s: &str,
) -> Result<DateTime<Utc>, WarehouseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|e| WarehouseError::Corrupt {
        table,
        column,
        detail: format!("{s:?}: {e}"),
    })
}

/// Reads a stored date (`YYYY-MM-DD`).
pub(crate) fn parse_date(
    table: &'static str,
    column: &'static str,
    s: &str,
) -> Result<NaiveDate, WarehouseError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| WarehouseError::Corrupt {
        table,
        column,
        detail: format!("{s:?}: {e}"),
    })
}

/// Reads a stored JSON document as text, checking that it is JSON.
pub(crate) fn parse_json_text(
    table: &'static str,
    column: &'static str,
    s: &str,
) -> Result<crate::model::JsonText, WarehouseError> {
    crate::model::JsonText::parse(s).map_err(|e| WarehouseError::Corrupt {
        table,
        column,
        detail: format!("invalid JSON: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn decimals_have_one_canonical_spelling() {
        for (input, text) in [
            ("50.00", "50"),
            ("0.10", "0.1"),
            ("-0.0050", "-0.005"),
            ("0", "0"),
            ("-0.00", "0"),
            ("1234567.890123456789", "1234567.890123456789"),
            ("79228162514264337593543950335", "79228162514264337593543950335"),
            ("0.0000000000000000000000000001", "0.0000000000000000000000000001"),
        ] {
            let d = Decimal::from_str(input).unwrap();
            assert_eq!(decimal_text(&d), text, "{input}");
            assert_eq!(parse_decimal("t", "c", text).unwrap(), d, "{input}");
        }
    }

    #[test]
    fn timestamps_are_fixed_width_micros() {
        let ts = DateTime::parse_from_rfc3339("2026-09-03T17:00:00.123456789Z").unwrap().to_utc();
        assert_eq!(timestamp_text(&ts), "2026-09-03T17:00:00.123456Z");
        assert_eq!(parse_timestamp("t", "c", &timestamp_text(&ts)).unwrap(), to_micros(ts));
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(timestamp_text(&epoch), "1970-01-01T00:00:00.000000Z");
    }
}
