//! Warehouse row fixtures: rows with every field set, awkward values included, and a
//! per-backend test macro.

use chrono::{DateTime, NaiveDate, Utc};
use meta_ads_sync::model::{
    AdAccountRow, AdCreativeRow, AdRow, AdSetRow, CampaignRow, InsightLevel, InsightRow,
};
use meta_ads_sync::warehouse::{CursorAdvance, WriteBatch};
use rust_decimal::Decimal;
use serde_json::json;

pub fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn synced() -> DateTime<Utc> {
    ts("2026-09-03T10:11:12.345678Z")
}

pub fn account(id: &str) -> AdAccountRow {
    AdAccountRow {
        account_id: id.into(),
        name: format!("Account {id} — \"quoted\"\ttab\\slash"),
        currency: "USD".into(),
        timezone_name: "America/Los_Angeles".into(),
        account_status: "active".into(),
        account_status_code: 1,
        business_id: Some("9001".into()),
        amount_spent: Some(dec("123456789.12")),
        created_time: Some(ts("2019-01-02T03:04:05Z")),
        synced_at: synced(),
    }
}

pub fn campaign(id: &str, account_id: &str) -> CampaignRow {
    CampaignRow {
        campaign_id: id.into(),
        account_id: account_id.into(),
        name: format!("Campaign {id}\nsecond line"),
        status: "active".into(),
        effective_status: "ACTIVE".into(),
        configured_status: Some("ACTIVE".into()),
        objective: Some("OUTCOME_SALES".into()),
        objective_type: Some("conversion".into()),
        daily_budget: Some(dec("50.00")),
        lifetime_budget: None,
        bid_strategy: Some("LOWEST_COST_WITHOUT_CAP".into()),
        buying_type: Some("AUCTION".into()),
        start_time: Some(ts("2026-01-01T08:00:00Z")),
        stop_time: None,
        created_time: Some(ts("2025-12-31T23:59:59.999999Z")),
        updated_time: Some(ts("2026-09-01T00:00:00.000001Z")),
        synced_at: synced(),
    }
}

pub fn ad_set(id: &str, campaign_id: &str, account_id: &str) -> AdSetRow {
    AdSetRow {
        ad_set_id: id.into(),
        campaign_id: campaign_id.into(),
        account_id: account_id.into(),
        name: format!("Ad set {id} ünïcødé 🚀"),
        status: "paused".into(),
        effective_status: "CAMPAIGN_PAUSED".into(),
        configured_status: Some("ACTIVE".into()),
        daily_budget: Some(dec("5000")),
        lifetime_budget: Some(dec("0.01")),
        optimization_goal: Some("OFFSITE_CONVERSIONS".into()),
        billing_event: Some("IMPRESSIONS".into()),
        bid_amount: Some(dec("1.5")),
        targeting: Some(json!({
            "geo_locations": {"countries": ["US", "CA"]},
            "age_min": 18,
            "age_max": 65,
            "note": "tab\there \\ \"quote\" \n newline",
            "ratio": 0.25,
        })),
        start_time: Some(ts("2026-02-03T04:05:06.700000Z")),
        end_time: Some(ts("2027-02-03T04:05:06Z")),
        created_time: None,
        updated_time: Some(ts("2026-09-02T12:00:00Z")),
        synced_at: synced(),
    }
}

pub fn ad(id: &str, ad_set_id: &str, campaign_id: &str, account_id: &str) -> AdRow {
    AdRow {
        ad_id: id.into(),
        ad_set_id: ad_set_id.into(),
        campaign_id: campaign_id.into(),
        account_id: account_id.into(),
        name: format!("Ad {id}"),
        status: "deleted".into(),
        effective_status: "DELETED".into(),
        configured_status: None,
        creative_id: Some(format!("cr{id}")),
        created_time: Some(ts("2026-03-01T00:00:00Z")),
        updated_time: None,
        synced_at: synced(),
    }
}

pub fn creative(id: &str, account_id: &str) -> AdCreativeRow {
    AdCreativeRow {
        creative_id: id.into(),
        account_id: account_id.into(),
        name: Some("Creative".into()),
        status: Some("ACTIVE".into()),
        title: Some("Buy now".into()),
        body: Some("Line one\r\nLine two\\n not a newline".into()),
        object_type: Some("SHARE".into()),
        thumbnail_url: Some("https://example.com/t.jpg?a=1&b=2".into()),
        image_url: None,
        call_to_action_type: Some("SHOP_NOW".into()),
        synced_at: synced(),
    }
}

/// A campaign-level insights row; `n` varies every metric.
pub fn insight(object_id: &str, date: NaiveDate, n: i64) -> InsightRow {
    InsightRow {
        level: InsightLevel::Campaign,
        object_id: object_id.into(),
        date,
        account_id: "1001".into(),
        campaign_id: Some(object_id.into()),
        ad_set_id: None,
        ad_id: None,
        impressions: 1000 + n,
        reach: Some(800 + n),
        clicks: 10 + n,
        inline_link_clicks: Some(7 + n),
        spend: Decimal::new(12_345 + n, 2),
        cpm: Some(dec("12.345678")),
        cpc: Some(dec("1.2345678901234567890123456789")),
        ctr: Some(dec("0.000001")),
        frequency: Some(dec("1.25")),
        conversions: Some(Decimal::from(n)),
        conversion_value: Some(dec("99.99")),
        roas: Some(dec("-0.5")),
        actions: Some(json!([{"action_type": "omni_purchase", "value": n.to_string()}]).into()),
        action_values: Some(json!([{"action_type": "omni_purchase", "value": "99.99"}]).into()),
        purchase_roas: Some(json!([{"action_type": "omni_purchase", "value": "0.81"}]).into()),
        synced_at: synced(),
    }
}

/// An insights row with every optional field absent, at ad level.
pub fn sparse_insight(object_id: &str, date: NaiveDate) -> InsightRow {
    InsightRow {
        level: InsightLevel::Ad,
        object_id: object_id.into(),
        date,
        account_id: "1001".into(),
        campaign_id: Some("c1".into()),
        ad_set_id: Some("s1".into()),
        ad_id: Some(object_id.into()),
        impressions: 0,
        reach: None,
        clicks: 0,
        inline_link_clicks: None,
        spend: Decimal::ZERO,
        cpm: None,
        cpc: None,
        ctr: None,
        frequency: None,
        conversions: None,
        conversion_value: None,
        roas: None,
        actions: None,
        action_values: None,
        purchase_roas: None,
        synced_at: synced(),
    }
}

/// `n` campaign-level insights over distinct (campaign, day) keys.
pub fn insights(n: usize) -> Vec<InsightRow> {
    (0..n)
        .map(|i| {
            insight(&format!("c{}", i / 30), day("2026-01-01") + chrono::Days::new((i % 30) as u64), i as i64)
        })
        .collect()
}

/// One of everything plus a cursor advance.
pub fn full_batch() -> WriteBatch {
    let mut sparse_account = account("1002");
    sparse_account.business_id = None;
    sparse_account.amount_spent = None;
    sparse_account.created_time = None;
    sparse_account.currency = "JPY".into();
    let mut sparse_campaign = campaign("c2", "1002");
    sparse_campaign.configured_status = None;
    sparse_campaign.objective = None;
    sparse_campaign.objective_type = None;
    sparse_campaign.daily_budget = None;
    sparse_campaign.start_time = None;
    sparse_campaign.updated_time = None;
    let mut sparse_set = ad_set("s2", "c2", "1002");
    sparse_set.targeting = None;
    sparse_set.bid_amount = None;
    let mut sparse_creative = creative("cr2", "1002");
    sparse_creative.name = None;
    sparse_creative.body = None;
    let mut account_level = insight("1001", day("2026-08-31"), 7);
    account_level.level = InsightLevel::Account;
    account_level.campaign_id = None;
    WriteBatch {
        accounts: vec![account("1001"), sparse_account],
        campaigns: vec![campaign("c1", "1001"), sparse_campaign],
        ad_sets: vec![ad_set("s1", "c1", "1001"), sparse_set],
        ads: vec![ad("a1", "s1", "c1", "1001"), ad("a2", "s2", "c2", "1002")],
        creatives: vec![creative("cr1", "1001"), sparse_creative],
        insights: vec![
            insight("c1", day("2026-09-01"), 1),
            insight("c1", day("2026-09-02"), 2),
            account_level,
            sparse_insight("a1", day("2026-09-01")),
        ],
        cursors: vec![CursorAdvance {
            account_id: "1001".into(),
            stream: "insights:campaign".into(),
            cursor: "2026-09-02".into(),
        }],
    }
}
