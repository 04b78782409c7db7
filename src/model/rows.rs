//! The row of each synced table, declared with its table description ([`super::table`]).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::json::JsonText;
use super::level::InsightLevel;
use super::table::table_row;

table_row! {
    /// A row of `ad_accounts`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AdAccountRow in table "ad_accounts" key (account_id) {
        /// Numeric id as text, without `act_`.
        pub account_id: String,
        /// Account name.
        pub name: String,
        /// ISO 4217 currency code.
        pub currency: String,
        /// IANA time zone the account reports in, e.g. `America/Los_Angeles`.
        pub timezone_name: String,
        /// Lower-case name of Meta's numeric `account_status` (`active`, `disabled`, `unsettled`, ...).
        pub account_status: String,
        /// Meta's numeric `account_status` as received.
        pub account_status_code: i32,
        /// Owning business id, when the token can see it.
        pub business_id: Option<String>,
        /// Lifetime `amount_spent`, in currency units.
        pub amount_spent: Option<Decimal>,
        /// Account creation time.
        pub created_time: Option<DateTime<Utc>>,
        /// When this worker last wrote the row.
        pub synced_at: DateTime<Utc>,
    }
}

table_row! {
    /// A row of `campaigns`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CampaignRow in table "campaigns" key (campaign_id) {
        /// Campaign id.
        pub campaign_id: String,
        /// Numeric ad account id, without `act_`.
        pub account_id: String,
        /// Campaign name.
        pub name: String,
        /// Platform status mapped from `effective_status` (`active`, `paused`, `deleted`, ...).
        pub status: String,
        /// Meta's `effective_status` as received.
        pub effective_status: String,
        /// Meta's `configured_status` (or `status`) as received.
        pub configured_status: Option<String>,
        /// Meta's objective as received (`OUTCOME_SALES`, `LINK_CLICKS`, ...).
        pub objective: Option<String>,
        /// Platform objective type (`awareness`, `consideration`, `conversion`).
        pub objective_type: Option<String>,
        /// Daily budget in currency units (campaign budget optimisation only).
        pub daily_budget: Option<Decimal>,
        /// Lifetime budget in currency units.
        pub lifetime_budget: Option<Decimal>,
        /// Bid strategy as received.
        pub bid_strategy: Option<String>,
        /// Buying type as received (`AUCTION`, ...).
        pub buying_type: Option<String>,
        /// Scheduled start, UTC.
        pub start_time: Option<DateTime<Utc>>,
        /// Scheduled stop, UTC.
        pub stop_time: Option<DateTime<Utc>>,
        /// Creation time, UTC.
        pub created_time: Option<DateTime<Utc>>,
        /// Last change on Meta's side, UTC; drives incremental sync.
        pub updated_time: Option<DateTime<Utc>>,
        /// When this worker last wrote the row.
        pub synced_at: DateTime<Utc>,
    }
}

table_row! {
    /// A row of `ad_sets`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AdSetRow in table "ad_sets" key (ad_set_id) {
        /// Ad set id.
        pub ad_set_id: String,
        /// Parent campaign id.
        pub campaign_id: String,
        /// Numeric ad account id, without `act_`.
        pub account_id: String,
        /// Ad set name.
        pub name: String,
        /// Platform status mapped from `effective_status`.
        pub status: String,
        /// Meta's `effective_status` as received.
        pub effective_status: String,
        /// Meta's `configured_status` (or `status`) as received.
        pub configured_status: Option<String>,
        /// Daily budget in currency units.
        pub daily_budget: Option<Decimal>,
        /// Lifetime budget in currency units.
        pub lifetime_budget: Option<Decimal>,
        /// Optimization goal as received.
        pub optimization_goal: Option<String>,
        /// Billing event as received.
        pub billing_event: Option<String>,
        /// Bid amount in currency units (Meta sends minor units).
        pub bid_amount: Option<Decimal>,
        /// Targeting spec, as received.
        pub targeting: Option<serde_json::Value>,
        /// Scheduled start, UTC.
        pub start_time: Option<DateTime<Utc>>,
        /// Scheduled end, UTC (Meta's `end_time`).
        pub end_time: Option<DateTime<Utc>>,
        /// Creation time, UTC.
        pub created_time: Option<DateTime<Utc>>,
        /// Last change on Meta's side, UTC.
        pub updated_time: Option<DateTime<Utc>>,
        /// When this worker last wrote the row.
        pub synced_at: DateTime<Utc>,
    }
}

table_row! {
    /// A row of `ads`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AdRow in table "ads" key (ad_id) {
        /// Ad id.
        pub ad_id: String,
        /// Parent ad set id.
        pub ad_set_id: String,
        /// Parent campaign id.
        pub campaign_id: String,
        /// Numeric ad account id, without `act_`.
        pub account_id: String,
        /// Ad name.
        pub name: String,
        /// Platform status mapped from `effective_status`.
        pub status: String,
        /// Meta's `effective_status` as received.
        pub effective_status: String,
        /// Meta's `configured_status` (or `status`) as received.
        pub configured_status: Option<String>,
        /// Creative the ad uses.
        pub creative_id: Option<String>,
        /// Creation time, UTC.
        pub created_time: Option<DateTime<Utc>>,
        /// Last change on Meta's side, UTC.
        pub updated_time: Option<DateTime<Utc>>,
        /// When this worker last wrote the row.
        pub synced_at: DateTime<Utc>,
    }
}

table_row! {
    /// A row of `ad_creatives`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AdCreativeRow in table "ad_creatives" key (creative_id) {
        /// Creative id.
        pub creative_id: String,
        /// Numeric ad account id, without `act_`.
        pub account_id: String,
        /// Creative name.
        pub name: Option<String>,
        /// Creative status as received (`ACTIVE`, `DELETED`, ...).
        pub status: Option<String>,
        /// Headline.
        pub title: Option<String>,
        /// Primary text.
        pub body: Option<String>,
        /// Object type (`SHARE`, `VIDEO`, `PHOTO`, ...).
        pub object_type: Option<String>,
        /// Thumbnail URL.
        pub thumbnail_url: Option<String>,
        /// Image URL.
        pub image_url: Option<String>,
        /// Call-to-action type (`SHOP_NOW`, `LEARN_MORE`, ...).
        pub call_to_action_type: Option<String>,
        /// When this worker last wrote the row.
        pub synced_at: DateTime<Utc>,
    }
}

table_row! {
    /// A row of `insights_daily`; the natural key is `(level, object_id, date)`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct InsightRow in table "insights_daily" key (level, object_id, date) {
        /// Reporting level.
        pub level: InsightLevel,
        /// Id of the object at that level (account id without `act_` at account level).
        pub object_id: String,
        /// The day Meta reports, in the ad account's time zone.
        pub date: NaiveDate,
        /// Numeric ad account id.
        pub account_id: String,
        /// Campaign id (campaign level and below).
        pub campaign_id: Option<String>,
        /// Ad set id (ad set level and below).
        pub ad_set_id: Option<String>,
        /// Ad id (ad level).
        pub ad_id: Option<String>,
        /// Impressions.
        pub impressions: i64,
        /// Unique reach; not additive across rows.
        pub reach: Option<i64>,
        /// Clicks (all).
        pub clicks: i64,
        /// Spend in currency units.
        pub spend: Decimal,
        /// Cost per 1,000 impressions, as reported.
        pub cpm: Option<Decimal>,
        /// Cost per click, as reported.
        pub cpc: Option<Decimal>,
        /// Click-through rate in percent, as reported.
        pub ctr: Option<Decimal>,
        /// Average impressions per person, as reported.
        pub frequency: Option<Decimal>,
        /// Conversions of the configured action types (default `omni_purchase`).
        pub conversions: Option<Decimal>,
        /// Value of those conversions, in currency units.
        pub conversion_value: Option<Decimal>,
        /// Return on ad spend for those action types (`purchase_roas`).
        pub roas: Option<Decimal>,
        /// Raw `actions` array, kept losslessly.
        pub actions: Option<JsonText>,
        /// Raw `action_values` array, kept losslessly.
        pub action_values: Option<JsonText>,
        /// Raw `purchase_roas` array, kept losslessly.
        pub purchase_roas: Option<JsonText>,
        /// When this worker last wrote the row.
        pub synced_at: DateTime<Utc>,
        /// Link clicks (Meta's `inline_link_clicks`, Ads Manager's "Link clicks"); `None` only
        /// on rows stored before the column existed and not re-synced since.
        pub inline_link_clicks: Option<i64>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::table::{Column, ColumnType, TableRow};

    #[test]
    fn keys_are_not_null_columns_of_their_table() {
        for t in [
            AdAccountRow::TABLE,
            CampaignRow::TABLE,
            AdSetRow::TABLE,
            AdRow::TABLE,
            AdCreativeRow::TABLE,
            InsightRow::TABLE,
        ] {
            for k in t.key {
                let col = t.columns.iter().find(|c| c.name == *k);
                assert!(col.is_some_and(|c| !c.nullable), "{}.{k}", t.name);
            }
        }
        let t = InsightRow::TABLE;
        assert_eq!((t.name, t.key), ("insights_daily", &["level", "object_id", "date"][..]));
        let col = |n: &str| *t.columns.iter().find(|c| c.name == n).unwrap();
        assert_eq!(col("spend"), Column { name: "spend", ty: ColumnType::Decimal, nullable: false });
        assert_eq!(col("reach"), Column { name: "reach", ty: ColumnType::Int8, nullable: true });
        assert_eq!(col("actions").ty, ColumnType::Json);
        assert_eq!(col("level").ty, ColumnType::Text);
    }
}
