//! Typed identities shared by every component: ad account ids, stream names and the cursor
//! stored for each stream. Plain data, no I/O.
//!
//! Meta names an ad account `act_<digits>` in paths and bare `<digits>` in `account_id` fields
//! and usage headers (docs/graph-api.md §2.3, §6.1). [`AccountId`] is the one place that strips
//! or adds the prefix.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::InsightLevel;

/// A numeric ad account id, held without `act_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(String);

/// An ad account id that is not `act_<digits>` or `<digits>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an ad account id: use act_<digits> or <digits>, as Ads Manager shows it")]
pub struct BadAccountId(pub String);

impl AccountId {
    /// Parses `act_123` or `123` (surrounding white space ignored).
    pub fn parse(raw: &str) -> Result<Self, BadAccountId> {
        let t = raw.trim();
        let digits = t.strip_prefix("act_").unwrap_or(t);
        if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadAccountId(raw.to_owned()));
        }
        Ok(Self(digits.to_owned()))
    }

    /// The bare digits, as stored in the warehouse and keyed in usage headers.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Graph node name, `act_<digits>`.
    pub fn node(&self) -> String {
        format!("act_{}", self.0)
    }

    /// A path under the account's node, e.g. `act_1/campaigns` for `edge = "campaigns"`.
    pub fn edge(&self, edge: &str) -> String {
        format!("act_{}/{edge}", self.0)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for AccountId {
    type Err = BadAccountId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for AccountId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// What one `sync_cursors` row tracks for an ad account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stream {
    /// The ad account's own fields; its row also holds the account's lease.
    Account,
    /// Campaigns, incremental by `updated_time`.
    Campaigns,
    /// Ad sets, incremental by `updated_time`.
    AdSets,
    /// Ads, incremental by `updated_time`.
    Ads,
    /// Creatives: Meta gives them no `updated_time` (docs/graph-api.md §6.5), so refreshed in full.
    AdCreatives,
    /// Daily insights at one level.
    Insights(InsightLevel),
}

impl Stream {
    /// Every stream, in the order a sync visits them.
    pub const ALL: [Stream; 9] = [
        Self::Account,
        Self::Campaigns,
        Self::AdSets,
        Self::Ads,
        Self::AdCreatives,
        Self::Insights(InsightLevel::Account),
        Self::Insights(InsightLevel::Campaign),
        Self::Insights(InsightLevel::AdSet),
        Self::Insights(InsightLevel::Ad),
    ];

    /// The name stored in `sync_cursors.stream`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Campaigns => "campaigns",
            Self::AdSets => "ad_sets",
            Self::Ads => "ads",
            Self::AdCreatives => "ad_creatives",
            Self::Insights(InsightLevel::Account) => "insights_account",
            Self::Insights(InsightLevel::Campaign) => "insights_campaign",
            Self::Insights(InsightLevel::AdSet) => "insights_adset",
            Self::Insights(InsightLevel::Ad) => "insights_ad",
        }
    }

    /// Parses a stored name; `None` for a name this version does not know.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored cursor that does not parse: reported, never silently turned into a full reload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the stored cursor {value:?} of account {account}, stream {stream} is not {expected}: \
     fix it, or delete that row of sync_cursors to reload the stream from start_date"
)]
pub struct BadCursor {
    /// The account the cursor belongs to.
    pub account: AccountId,
    /// The stream it belongs to.
    pub stream: Stream,
    /// The stored text.
    pub value: String,
    /// What the stream's cursor should be.
    pub expected: &'static str,
}

/// The cursor of an entity stream: the newest `updated_time` stored, in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntityCursor(pub i64);

/// The cursor of an insights stream: the last day whose rows are stored, in the account's
/// time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct InsightsCursor(pub NaiveDate);

impl EntityCursor {
    /// Parses a stored cursor of `(account, stream)`.
    pub fn parse(account: &AccountId, stream: Stream, raw: &str) -> Result<Self, BadCursor> {
        raw.trim().parse().map(Self).map_err(|_| BadCursor {
            account: account.clone(),
            stream,
            value: raw.to_owned(),
            expected: "a Unix time in seconds",
        })
    }

    /// The text stored in `sync_cursors.cursor`.
    pub fn to_stored(self) -> String {
        self.0.to_string()
    }
}

impl InsightsCursor {
    /// Parses a stored cursor of `(account, stream)`.
    pub fn parse(account: &AccountId, stream: Stream, raw: &str) -> Result<Self, BadCursor> {
        NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map(Self).map_err(|_| BadCursor {
            account: account.clone(),
            stream,
            value: raw.to_owned(),
            expected: "a date (YYYY-MM-DD)",
        })
    }

    /// The text stored in `sync_cursors.cursor`.
    pub fn to_stored(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_strip_and_add_the_prefix_once() {
        let a = AccountId::parse(" act_123 ").unwrap();
        assert_eq!(a, AccountId::parse("123").unwrap());
        assert_eq!(a.as_str(), "123");
        assert_eq!(a.node(), "act_123");
        assert_eq!(a.edge("ads"), "act_123/ads");
        for bad in ["", "act_", "act_12x", "12 3", "act_act_1", "-1"] {
            assert!(AccountId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn stream_names_round_trip() {
        for s in Stream::ALL {
            assert_eq!(Stream::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stream::parse("insights_nope"), None);
    }

    #[test]
    fn a_bad_cursor_names_account_and_stream() {
        let a = AccountId::parse("7").unwrap();
        let e = EntityCursor::parse(&a, Stream::Ads, "yesterday").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("account 7") && msg.contains("stream ads"), "{msg}");
        let d = InsightsCursor::parse(&a, Stream::Insights(InsightLevel::Ad), "2026-02-30").unwrap_err();
        assert!(d.to_string().contains("insights_ad"), "{d}");
        let ok = InsightsCursor::parse(&a, Stream::Insights(InsightLevel::Ad), "2026-02-28").unwrap();
        assert_eq!(ok.to_stored(), "2026-02-28");
    }
}
