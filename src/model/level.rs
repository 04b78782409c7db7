//! The level an insights row is reported at.

use serde::{Deserialize, Serialize};

/// The level an insights row is reported at. Names follow Meta's `level` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InsightLevel {
    /// One row per ad account and day.
    Account,
    /// One row per campaign and day.
    Campaign,
    /// One row per ad set and day (Meta's `adset`).
    #[serde(rename = "adset")]
    AdSet,
    /// One row per ad and day.
    Ad,
}

impl InsightLevel {
    /// Every level, from the top of the hierarchy down.
    pub const ALL: [InsightLevel; 4] = [Self::Account, Self::Campaign, Self::AdSet, Self::Ad];

    /// The wire and warehouse name: `account`, `campaign`, `adset` or `ad`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Campaign => "campaign",
            Self::AdSet => "adset",
            Self::Ad => "ad",
        }
    }

    /// Parses the wire name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl std::fmt::Display for InsightLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
