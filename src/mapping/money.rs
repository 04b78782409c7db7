//! Money and metric numbers, exact.
//!
//! Budgets, `bid_amount` and the ad account's `amount_spent` arrive as integer strings in the
//! currency's minor unit (docs/graph-api.md §6.1, §6.2): major = minor / offset, where the offset is 1 for
//! currencies without a minor unit (CLP COP CRC HUF ISK IDR JPY KRW PYG TWD VND) and 100 for
//! every other currency. Because offsets are powers of ten the division is exact: it only sets
//! the decimal scale (USD `"5000"` → `50.00`, JPY `"5000"` → `5000`).
//!
//! Insights `spend`, `cpm`, `cpc`, `ctr`, `frequency` and action values are decimal strings
//! already in major units (docs/graph-api.md §5.1) and are parsed as they are, without rounding.

use rust_decimal::Decimal;

use super::error::{ValueError, clip};

/// Currencies Meta bills without a minor unit (offset 1), per Meta's currency table.
const OFFSET_ONE: [&str; 11] = ["CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"];

/// Meta's offset for an ISO 4217 code: 1 for currencies without a minor unit, else 100.
/// Unknown codes get 100, Meta's default.
pub fn currency_offset(code: &str) -> u32 {
    if OFFSET_ONE.iter().any(|c| c.eq_ignore_ascii_case(code)) { 1 } else { 100 }
}

/// Converts an integer string of minor units to currency units, exactly.
pub fn minor_to_major(minor: &str, currency: &str) -> Result<Decimal, ValueError> {
    let bad = || ValueError::MinorUnits(clip(minor));
    let digits = minor.strip_prefix('-').unwrap_or(minor);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let units: i128 = minor.parse().map_err(|_| bad())?;
    let scale = currency_offset(currency).ilog10();
    Decimal::try_from_i128_with_scale(units, scale).map_err(|_| bad())
}

/// Parses a decimal string in major units (`"5339.5"`) without rounding.
pub fn parse_decimal(s: &str) -> Result<Decimal, ValueError> {
    let bad = || ValueError::Decimal(clip(s));
    // rust_decimal tolerates `_` separators; Meta never sends them, so treat them as malformed.
    if s.is_empty() || s.contains('_') {
        return Err(bad());
    }
    // `from_str_exact` refuses values it would have to round; the scientific form covers
    // numbers a JSON encoder might have written as `1e-7`.
    Decimal::from_str_exact(s)
        .or_else(|e| if s.contains(['e', 'E']) { Decimal::from_scientific(s) } else { Err(e) })
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn offsets() {
        for c in OFFSET_ONE {
            assert_eq!(currency_offset(c), 1, "{c}");
        }
        for c in ["USD", "EUR", "GBP", "BRL", "INR", "jpy_not", "", "XYZ"] {
            assert_eq!(currency_offset(c), 100, "{c}");
        }
        assert_eq!(currency_offset("jpy"), 1);
    }

    #[test]
    fn minor_to_major_table() {
        let cases = [
            ("5000", "USD", "50.00"),
            ("5000", "EUR", "50.00"),
            ("2000", "GBP", "20.00"),
            ("1", "USD", "0.01"),
            ("0", "USD", "0.00"),
            ("5000", "JPY", "5000"),
            ("5000", "KRW", "5000"),
            ("150000", "KRW", "150000"),
            ("99", "VND", "99"),
            ("-250", "USD", "-2.50"),
            ("123456789012345678901234567", "USD", "1234567890123456789012345.67"),
        ];
        for (minor, cur, want) in cases {
            let got = minor_to_major(minor, cur).unwrap();
            assert_eq!(got, dec(want), "{minor} {cur}");
            assert_eq!(got.to_string(), want, "{minor} {cur} keeps the currency's scale");
        }
    }

    #[test]
    fn minor_to_major_rejects_malformed() {
        for bad in [
            "",
            "-",
            "50.00",
            "5e3",
            "abc",
            " 5000",
            "5000 ",
            "+5",
            "1_000",
            "99999999999999999999999999999999",
        ] {
            assert_eq!(minor_to_major(bad, "USD"), Err(ValueError::MinorUnits(bad.into())), "{bad:?}");
        }
    }

    #[test]
    fn parse_decimal_table() {
        for (s, want) in
            [("5339.5", "5339.5"), ("0", "0"), ("1.234567", "1.234567"), ("-3", "-3"), ("1e-7", "0.0000001")]
        {
            assert_eq!(parse_decimal(s).unwrap(), dec(want), "{s}");
        }
        for bad in ["", "abc", "1.2.3", "NaN", "inf", "1,5", "1_0", "--1"] {
            assert_eq!(parse_decimal(bad), Err(ValueError::Decimal(bad.into())), "{bad:?}");
        }
    }
}
