//! Numbers read from the configuration, each within a stated range. Out-of-range, fractional
//! where a whole number is meant, NaN and infinite values are rejected as the file is read, with
//! the range in the message (the config crate appends the key), instead of saturating
//! (`1e300` read as `u64::MAX`, `-1.0` as 0) or panicking later when turned into a `Duration`.
//!
//! The ranges are const generics, so each field states its range where it is declared:
//! `#[serde(deserialize_with = "whole::<_, _, 1, 50>")]`. Whole bounds are enough for every
//! setting; a range open at zero is [`positive_seconds`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// A number as written: YAML integer or float, or text (quoted YAML, environment overrides).
enum Written {
    Int(i128),
    Float(f64),
    Text(String),
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(i) => write!(f, "{i}"),
            // `1e300` printed in full would be 301 digits.
            Self::Float(x) if x.is_finite() && x.abs() >= 1e15 => write!(f, "{x:e}"),
            Self::Float(x) => write!(f, "{x}"),
            Self::Text(s) => write!(f, "{s:?}"),
        }
    }
}

impl Written {
    /// Text as written in quotes or in the environment, read as a number if it is one.
    fn parsed(self) -> Self {
        match self {
            Self::Text(s) => {
                let t = s.trim();
                if let Ok(i) = t.parse::<i128>() {
                    Self::Int(i)
                } else if let Ok(x) = t.parse::<f64>() {
                    Self::Float(x)
                } else {
                    Self::Text(s)
                }
            }
            other => other,
        }
    }
}

struct WrittenVisitor;

impl<'de> Visitor<'de> for WrittenVisitor {
    type Value = Written;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Written, E> {
        Ok(Written::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Written, E> {
        Ok(Written::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Written, E> {
        Ok(Written::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Written, E> {
        Ok(i128::try_from(v).map_or(Written::Float(v as f64), Written::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Written, E> {
        Ok(Written::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Written, E> {
        Ok(Written::Text(v.to_owned()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Written, E> {
        Ok(Written::Text(v.to_string()))
    }
}

fn written<'de, D: Deserializer<'de>>(d: D) -> Result<Written, D::Error> {
    d.deserialize_any(WrittenVisitor).map(Written::parsed)
}

/// A whole number from `MIN` to `MAX`, as any integer type that holds that range.
pub fn whole<'de, D, T, const MIN: i64, const MAX: i64>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    in_range::<T, MIN, MAX>(written(d)?).map_err(de::Error::custom)
}

fn in_range<T: TryFrom<i64>, const MIN: i64, const MAX: i64>(got: Written) -> Result<T, String> {
    let n = match got {
        Written::Int(i) => i64::try_from(i).ok().filter(|i| (MIN..=MAX).contains(i)),
        Written::Float(x) if x.fract() == 0.0 && x >= MIN as f64 && x <= MAX as f64 => Some(x as i64),
        _ => None,
    };
    n.and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("must be between {MIN} and {MAX} (a whole number), got {got}"))
}

/// [`whole`] or `null`; an empty text (an override set to "") is `null` too.
pub fn whole_or_null<'de, D, T, const MIN: i64, const MAX: i64>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    struct Whole<T, const MIN: i64, const MAX: i64>(Option<T>);
    impl<'de, T: TryFrom<i64>, const MIN: i64, const MAX: i64> Deserialize<'de> for Whole<T, MIN, MAX> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            match written(d)? {
                Written::Text(t) if matches!(t.trim(), "" | "null") => Ok(Self(None)),
                got => in_range::<T, MIN, MAX>(got).map(|n| Self(Some(n))).map_err(de::Error::custom),
            }
        }
    }
    Ok(Option::<Whole<T, MIN, MAX>>::deserialize(d)?.and_then(|w| w.0))
}

fn real<'de, D: Deserializer<'de>>(d: D, ok: impl Fn(f64) -> bool, range: &str) -> Result<f64, D::Error> {
    let got = written(d)?;
    let x = match got {
        Written::Int(i) => Some(i as f64),
        Written::Float(x) => Some(x),
        Written::Text(_) => None,
    };
    x.filter(|x| x.is_finite() && ok(*x))
        .ok_or_else(|| de::Error::custom(format!("must be {range}, got {got}")))
}

/// A number from `MIN` to `MAX` (fractions allowed).
pub fn number<'de, D: Deserializer<'de>, const MIN: i64, const MAX: i64>(d: D) -> Result<f64, D::Error> {
    real(d, |x| (MIN as f64..=MAX as f64).contains(&x), &format!("between {MIN} and {MAX}"))
}

/// A number of seconds from `MIN` to `MAX` (fractions allowed).
pub fn seconds<'de, D: Deserializer<'de>, const MIN: i64, const MAX: i64>(d: D) -> Result<f64, D::Error> {
    real(d, |x| (MIN as f64..=MAX as f64).contains(&x), &format!("between {MIN} and {MAX} seconds"))
}

/// A number of seconds above 0 and at most `MAX`: a wait or timeout of zero would spin or fail
/// every call.
pub fn positive_seconds<'de, D: Deserializer<'de>, const MAX: i64>(d: D) -> Result<f64, D::Error> {
    real(d, |x| x > 0.0 && x <= MAX as f64, &format!("above 0 and at most {MAX} seconds"))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct S {
        #[serde(deserialize_with = "super::whole::<_, _, 1, 50>", default)]
        n: u32,
        #[serde(deserialize_with = "super::positive_seconds::<_, 3600>", default)]
        s: f64,
        #[serde(deserialize_with = "super::whole_or_null::<_, _, 1, 9>", default)]
        o: Option<u8>,
    }

    fn parse(yaml: &str) -> Result<S, String> {
        config::Config::builder()
            .add_source(config::File::from_str(yaml, config::FileFormat::Yaml))
            .build()
            .and_then(|c| c.try_deserialize::<S>())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn accepted() {
        let s = parse("n: 50\ns: 0.5\no: 3\n").unwrap();
        assert_eq!((s.n, s.s, s.o), (50, 0.5, Some(3)));
        let s = parse("n: \"7\"\ns: \"1e3\"\no: null\n").unwrap();
        assert_eq!((s.n, s.s, s.o), (7, 1000.0, None));
        assert_eq!(parse("n: 1\ns: 1\no: \" \"\n").unwrap().o, None);
        assert_eq!(parse("n: 2.0\ns: 1\n").unwrap().n, 2);
    }

    #[test]
    fn rejected_with_range_and_key() {
        let cases = [
            ("n: 1e300\ns: 1", "must be between 1 and 50 (a whole number), got 1e300 for key `n`"),
            ("n: -1.0\ns: 1", "got -1 for key `n`"),
            ("n: 1.5\ns: 1", "got 1.5 for key `n`"),
            ("n: 51\ns: 1", "got 51"),
            ("n: 99999999999999999999\ns: 1", "between 1 and 50"),
            ("n: lots\ns: 1", "got \"lots\" for key `n`"),
            ("n: 1\ns: 0", "above 0 and at most 3600 seconds, got 0 for key `s`"),
            ("n: 1\ns: -5", "got -5"),
            ("n: 1\ns: nan", "got NaN"),
            ("n: 1\ns: \"inf\"", "got inf"),
            ("n: 1\ns: 1e300", "got 1e300"),
            ("n: 1\ns: 1\no: 0", "between 1 and 9 (a whole number), got 0 for key `o`"),
        ];
        for (yaml, want) in cases {
            let err = parse(yaml).expect_err(yaml);
            assert!(err.contains(want), "{yaml:?}: {err}");
        }
    }
}
