//! Typed values of string settings, read once at load: log format and filter, insights levels,
//! the start date. Each failure message says what is accepted; the config crate adds the key.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use tracing_subscriber::EnvFilter;

use crate::model::InsightLevel;

/// `logging.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Readable lines for a terminal.
    #[default]
    Human,
    /// One JSON object per line, for log collectors.
    Json,
}

impl LogFormat {
    /// The name written in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Json => "json",
        }
    }
}

impl Serialize for LogFormat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for LogFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        match raw.trim() {
            "human" => Ok(Self::Human),
            "json" => Ok(Self::Json),
            _ => Err(de::Error::custom(format!("must be `human` or `json`, got {raw:?}"))),
        }
    }
}

/// `logging.level`: a tracing filter that is known to parse (`info`, `meta_ads_sync=debug,warn`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFilter(String);

impl LogFilter {
    /// Checks `directives` as tracing would read them.
    pub fn parse(directives: &str) -> Result<Self, String> {
        let d = directives.trim();
        match EnvFilter::try_new(d) {
            Ok(_) if !d.is_empty() => Ok(Self(d.to_string())),
            _ => Err(format!(
                "is not a valid filter (try `info` or `meta_ads_sync=debug`), got {directives:?}"
            )),
        }
    }

    /// The filter to install.
    pub fn filter(&self) -> EnvFilter {
        EnvFilter::try_new(&self.0).unwrap_or_else(|_| EnvFilter::new("info"))
    }

    /// The directives as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for LogFilter {
    fn default() -> Self {
        Self("info".to_string())
    }
}

impl AsRef<str> for LogFilter {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LogFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for LogFilter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LogFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(de::Error::custom)
    }
}

/// `sync.levels`: at least one level, each named as Meta's `level` parameter.
pub fn levels<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<InsightLevel>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    if names.is_empty() {
        return Err(de::Error::custom("list at least one of account, campaign, adset, ad"));
    }
    let mut out = Vec::with_capacity(names.len());
    for name in &names {
        let level = InsightLevel::parse(name.trim()).ok_or_else(|| {
            de::Error::custom(format!("{name:?} is not a level; use account, campaign, adset or ad"))
        })?;
        if !out.contains(&level) {
            out.push(level);
        }
    }
    Ok(out)
}

/// `sync.start_date`: `YYYY-MM-DD` or null.
pub fn date_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let Some(raw) = Option::<String>::deserialize(d)? else { return Ok(None) };
    let t = raw.trim();
    if t.is_empty() || t == "null" {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| de::Error::custom(format!("must be a date like 2026-01-31, got {raw:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        assert_eq!(
            LogFilter::parse(" meta_ads_sync=debug,warn ").unwrap().as_str(),
            "meta_ads_sync=debug,warn"
        );
        assert!(LogFilter::parse("").is_err());
        assert!(LogFilter::parse("=^_^=").is_err());
    }
}
