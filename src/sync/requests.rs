//! Pure builders of the Graph requests a sync makes. Every listing asks for every effective
//! status explicitly: default listings hide ARCHIVED and DELETED objects (docs/graph-api.md §6.6), and
//! peers that rely on them lose deleted objects and the spend they accrued.

use serde_json::json;

use super::plan::DateWindow;
use crate::graph::GraphRequest;
use crate::ids::{AccountId, Stream};
use crate::mapping::{
    AD_ACCOUNT_FIELDS, AD_CREATIVE_FIELDS, AD_FIELDS, AD_SET_FIELDS, CAMPAIGN_FIELDS, INSIGHTS_FIELDS,
};
use crate::model::InsightLevel;

/// Every campaign `effective_status` (docs/graph-api.md §6.2).
pub const CAMPAIGN_STATUSES: &[&str] =
    &["ACTIVE", "PAUSED", "DELETED", "ARCHIVED", "IN_PROCESS", "WITH_ISSUES"];
/// Every ad set `effective_status` (docs/graph-api.md §6.3).
pub const AD_SET_STATUSES: &[&str] =
    &["ACTIVE", "PAUSED", "DELETED", "ARCHIVED", "IN_PROCESS", "WITH_ISSUES", "CAMPAIGN_PAUSED"];
/// Every ad `effective_status` (docs/graph-api.md §6.4).
pub const AD_STATUSES: &[&str] = &[
    "ACTIVE",
    "PAUSED",
    "DELETED",
    "ARCHIVED",
    "PENDING_REVIEW",
    "DISAPPROVED",
    "PREAPPROVED",
    "PENDING_BILLING_INFO",
    "CAMPAIGN_PAUSED",
    "ADSET_PAUSED",
    "IN_PROCESS",
    "WITH_ISSUES",
];

/// An incrementally listed entity edge of an ad account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// `act_X/campaigns`.
    Campaigns,
    /// `act_X/adsets`.
    AdSets,
    /// `act_X/ads`.
    Ads,
    /// `act_X/adcreatives` (no `updated_time`: full refresh).
    Creatives,
}

impl Entity {
    /// All entity edges, parents first.
    pub const ALL: [Entity; 4] = [Self::Campaigns, Self::AdSets, Self::Ads, Self::Creatives];

    /// The edge name under `act_X/`.
    pub fn edge(self) -> &'static str {
        match self {
            Self::Campaigns => "campaigns",
            Self::AdSets => "adsets",
            Self::Ads => "ads",
            Self::Creatives => "adcreatives",
        }
    }

    /// The stream its cursor is kept under.
    pub fn stream(self) -> Stream {
        match self {
            Self::Campaigns => Stream::Campaigns,
            Self::AdSets => Stream::AdSets,
            Self::Ads => Stream::Ads,
            Self::Creatives => Stream::AdCreatives,
        }
    }

    /// The insights level whose rows are one per object of this edge.
    pub fn level(self) -> Option<InsightLevel> {
        match self {
            Self::Campaigns => Some(InsightLevel::Campaign),
            Self::AdSets => Some(InsightLevel::AdSet),
            Self::Ads => Some(InsightLevel::Ad),
            Self::Creatives => None,
        }
    }

    fn filter_prefix(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            Self::Campaigns => Some(("campaign", CAMPAIGN_STATUSES)),
            Self::AdSets => Some(("adset", AD_SET_STATUSES)),
            Self::Ads => Some(("ad", AD_STATUSES)),
            Self::Creatives => None,
        }
    }

    fn fields(self) -> &'static str {
        match self {
            Self::Campaigns => CAMPAIGN_FIELDS,
            Self::AdSets => AD_SET_FIELDS,
            Self::Ads => AD_FIELDS,
            Self::Creatives => AD_CREATIVE_FIELDS,
        }
    }
}

/// `GET act_X?fields=…` for a configured account.
pub fn account_request(account: &AccountId) -> GraphRequest {
    GraphRequest::get(account.node()).param("fields", AD_ACCOUNT_FIELDS).account(account.as_str())
}

/// A listing of ad accounts: `me/adaccounts`, `{business}/owned_ad_accounts`, ...
pub fn account_listing(path: &str, page_size: u32) -> GraphRequest {
    GraphRequest::get(path).param("fields", AD_ACCOUNT_FIELDS).param("limit", page_size.to_string())
}

/// The listing of one entity edge, every status, changed after `updated_since` (unix seconds).
pub fn entity_request(
    account: &AccountId,
    entity: Entity,
    updated_since: Option<i64>,
    page_size: u32,
) -> GraphRequest {
    let mut req = GraphRequest::get(account.edge(entity.edge()))
        .param("fields", entity.fields())
        .param("limit", page_size.to_string())
        .account(account.as_str());
    if let Some((prefix, statuses)) = entity.filter_prefix() {
        let mut filters =
            vec![json!({"field": format!("{prefix}.effective_status"), "operator": "IN", "value": statuses})];
        if let Some(since) = updated_since {
            filters.push(json!({"field": format!("{prefix}.updated_time"), "operator": "GREATER_THAN", "value": since}));
        }
        req = req.param("filtering", serde_json::Value::Array(filters).to_string());
    }
    req
}

/// Daily insights of one account at `level` over `window`: one account-level query with
/// `level=…&time_increment=1` instead of one query per object (the peers' hours-long syncs).
/// Rows of ARCHIVED and DELETED objects are included by filtering explicitly on every status of
/// the level's own entity and of the ads (docs/graph-api.md §6.6); the unified attribution setting makes the
/// numbers match Ads Manager.
pub fn insights_params(level: InsightLevel, window: DateWindow) -> Vec<(String, String)> {
    let time_range = json!({"since": window.since.to_string(), "until": window.until.to_string()});
    let status_filter = |entity: &str, statuses: &[&str]| json!({"field": format!("{entity}.effective_status"), "operator": "IN", "value": statuses});
    let mut filtering = match level {
        InsightLevel::Campaign => vec![status_filter("campaign", CAMPAIGN_STATUSES)],
        InsightLevel::AdSet => vec![status_filter("adset", AD_SET_STATUSES)],
        InsightLevel::Account | InsightLevel::Ad => Vec::new(),
    };
    filtering.push(status_filter("ad", AD_STATUSES));
    [
        ("level", level.as_str().to_string()),
        ("time_increment", "1".to_string()),
        ("time_range", time_range.to_string()),
        ("fields", INSIGHTS_FIELDS.to_string()),
        ("filtering", serde_json::Value::Array(filtering).to_string()),
        ("use_unified_attribution_setting", "true".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The synchronous insights request for [`insights_params`], `page_size` rows per page.
pub fn insights_request(
    account: &AccountId,
    level: InsightLevel,
    window: DateWindow,
    page_size: u32,
) -> GraphRequest {
    let mut req =
        GraphRequest::get(account.edge("insights")).account(account.as_str()).insights().with_lean_rows();
    req.params = insights_params(level, window);
    req.param("limit", page_size.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act42() -> AccountId {
        AccountId::parse("42").unwrap()
    }

    #[test]
    fn incremental_listing_asks_for_every_status_and_the_bound() {
        let req = entity_request(&act42(), Entity::Ads, Some(1_700_000_000), 100);
        assert_eq!(req.path, "act_42/ads");
        assert_eq!(req.account_id.as_deref(), Some("42"));
        let filtering: serde_json::Value = serde_json::from_str(req.get_param("filtering").unwrap()).unwrap();
        assert_eq!(filtering[0]["field"], "ad.effective_status");
        assert_eq!(filtering[0]["value"].as_array().unwrap().len(), AD_STATUSES.len());
        assert_eq!(
            filtering[1],
            json!({"field": "ad.updated_time", "operator": "GREATER_THAN", "value": 1_700_000_000})
        );
        assert!(entity_request(&act42(), Entity::Creatives, None, 100).get_param("filtering").is_none());
    }

    #[test]
    fn insights_request_is_account_level_daily() {
        let w = DateWindow { since: "2026-11-01".parse().unwrap(), until: "2026-11-29".parse().unwrap() };
        let req = insights_request(&act42(), InsightLevel::AdSet, w, 5000);
        assert_eq!(req.path, "act_42/insights");
        assert!(req.is_insights());
        assert_eq!(req.get_param("level"), Some("adset"));
        assert_eq!(req.get_param("time_increment"), Some("1"));
        assert_eq!(req.get_param("time_range"), Some(r#"{"since":"2026-11-01","until":"2026-11-29"}"#));
        assert_eq!(req.get_param("limit"), Some("5000"));
        let filtering: serde_json::Value = serde_json::from_str(req.get_param("filtering").unwrap()).unwrap();
        let fields: Vec<&str> =
            filtering.as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["adset.effective_status", "ad.effective_status"]);
    }
}
