use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::*;

fn types() -> Vec<String> {
    vec!["omni_purchase".to_owned()]
}

fn ctx<'a>(currency: &'a str, types: &'a [String]) -> MapContext<'a> {
    MapContext { account_id: "1234", currency, conversion_action_types: types, synced_at: at() }
}

fn at() -> DateTime<Utc> {
    "2026-09-04T00:00:00Z".parse().unwrap()
}

fn ts(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().unwrap())
}

fn dec(n: i64, scale: u32) -> Option<Decimal> {
    Some(Decimal::new(n, scale))
}

#[test]
fn campaign_full_payload() {
    let t = types();
    let v = json!({
        "id": "120210000000001", "account_id": "1234", "name": "Spring sale",
        "objective": "OUTCOME_SALES", "status": "ACTIVE", "configured_status": "ACTIVE",
        "effective_status": "ACTIVE", "buying_type": "AUCTION", "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
        "daily_budget": "5000", "budget_remaining": "4100", "special_ad_categories": [],
        "start_time": "2026-09-03T10:00:00-0700", "created_time": "2026-09-01T09:30:00+0000",
        "updated_time": "2026-09-02T11:00:00 0000", "issues_info": [{"level": "AD"}]
    });
    let row = map_campaign(&v, &ctx("USD", &t)).unwrap();
    assert_eq!(
        row,
        CampaignRow {
            campaign_id: "120210000000001".into(),
            account_id: "1234".into(),
            name: "Spring sale".into(),
            status: "active".into(),
            effective_status: "ACTIVE".into(),
            configured_status: Some("ACTIVE".into()),
            objective: Some("OUTCOME_SALES".into()),
            objective_type: Some("conversion".into()),
            daily_budget: dec(5000, 2),
            lifetime_budget: None,
            bid_strategy: Some("LOWEST_COST_WITHOUT_CAP".into()),
            buying_type: Some("AUCTION".into()),
            start_time: ts("2026-09-03T17:00:00Z"),
            stop_time: None,
            created_time: ts("2026-09-01T09:30:00Z"),
            updated_time: ts("2026-09-02T11:00:00Z"),
            synced_at: at(),
        }
    );
}

#[test]
fn campaign_budgets_statuses_and_objectives() {
    let t = types();
    // (currency, daily, lifetime, effective, configured, status, objective) → expectations
    let cases = [
        ("JPY", json!("5000"), json!(null), "PAUSED", None, Some("PAUSED"), json!("LINK_CLICKS")),
        ("KRW", json!("0"), json!("1500000"), "ARCHIVED", Some("ARCHIVED"), None, json!(null)),
        ("EUR", json!(null), json!("99"), "WITH_ISSUES", Some("ACTIVE"), Some("PAUSED"), json!("REACH")),
        ("USD", json!(2000), json!(null), "SOMETHING_NEW", None, None, json!("NEW_OBJECTIVE")),
    ];
    let want = [
        (dec(5000, 0), None, "paused", Some("PAUSED"), Some("consideration")),
        (dec(0, 0), dec(1_500_000, 0), "archived", Some("ARCHIVED"), None),
        (None, dec(99, 2), "degraded", Some("ACTIVE"), Some("awareness")),
        (dec(2000, 2), None, "unknown", None, Some("other")),
    ];
    for ((cur, daily, lifetime, eff, conf, status, obj), (w_daily, w_life, w_status, w_conf, w_obj)) in
        cases.into_iter().zip(want)
    {
        let v = json!({"id": "1", "name": "c", "effective_status": eff, "configured_status": conf,
                       "status": status, "daily_budget": daily, "lifetime_budget": lifetime, "objective": obj});
        let row = map_campaign(&v, &ctx(cur, &t)).unwrap();
        assert_eq!(row.account_id, "1234", "falls back to the context's account");
        assert_eq!((row.daily_budget, row.lifetime_budget), (w_daily, w_life), "{cur}");
        assert_eq!(row.status, w_status);
        assert_eq!(row.configured_status.as_deref(), w_conf);
        assert_eq!(row.objective_type.as_deref(), w_obj);
    }
}

#[test]
fn ad_set_payload() {
    let t = types();
    let targeting = json!({"age_min": 18, "age_max": 65,
        "geo_locations": {"countries": ["US"], "location_types": ["home", "recent"]},
        "publisher_platforms": ["facebook", "audience_network"], "facebook_positions": ["feed"],
        "targeting_automation": {"advantage_audience": 1}});
    let v = json!({
        "id": "238", "account_id": "act_1234", "campaign_id": "120", "name": "US 18-65",
        "status": "ACTIVE", "effective_status": "CAMPAIGN_PAUSED", "daily_budget": "2000",
        "bid_amount": 150, "bid_info": {"ACTIONS": 150}, "billing_event": "IMPRESSIONS",
        "optimization_goal": "OFFSITE_CONVERSIONS", "targeting": targeting,
        "start_time": "2026-09-03T10:00:00+0530", "end_time": "2026-10-03T10:00:00-0700",
        "updated_time": "2026-09-03T10:00:00-0700", "learning_stage_info": {"status": "LEARNING"}
    });
    let row = map_ad_set(&v, &ctx("USD", &t)).unwrap();
    assert_eq!(
        row,
        AdSetRow {
            ad_set_id: "238".into(),
            campaign_id: "120".into(),
            account_id: "1234".into(),
            name: "US 18-65".into(),
            status: "paused".into(),
            effective_status: "CAMPAIGN_PAUSED".into(),
            configured_status: Some("ACTIVE".into()),
            daily_budget: dec(2000, 2),
            lifetime_budget: None,
            optimization_goal: Some("OFFSITE_CONVERSIONS".into()),
            billing_event: Some("IMPRESSIONS".into()),
            bid_amount: dec(150, 2),
            targeting: Some(targeting),
            start_time: ts("2026-09-03T04:30:00Z"),
            end_time: ts("2026-10-03T17:00:00Z"),
            created_time: None,
            updated_time: ts("2026-09-03T17:00:00Z"),
            synced_at: at(),
        }
    );
}

#[test]
fn ad_and_creative_payloads() {
    let t = types();
    let v = json!({"id": "555", "account_id": "1234", "campaign_id": "120", "adset_id": "238",
        "name": "Video A", "status": "ACTIVE", "effective_status": "DISAPPROVED",
        "creative": {"id": "777"}, "ad_review_feedback": {"global": {"X": "y"}},
        "created_time": "2026-09-03T10:00:00-0700", "updated_time": "2026-09-03T10:00:00-0700"});
    let ad = map_ad(&v, &ctx("USD", &t)).unwrap();
    assert_eq!((ad.ad_id.as_str(), ad.ad_set_id.as_str(), ad.campaign_id.as_str()), ("555", "238", "120"));
    assert_eq!((ad.status.as_str(), ad.creative_id.as_deref()), ("rejected", Some("777")));
    assert_eq!(ad.created_time, ts("2026-09-03T17:00:00Z"));

    let no_creative = json!({"id": "556", "campaign_id": "120", "adset_id": "238", "name": "x",
        "effective_status": "PENDING_REVIEW"});
    let ad = map_ad(&no_creative, &ctx("USD", &t)).unwrap();
    assert_eq!((ad.status.as_str(), ad.creative_id, ad.configured_status), ("pending", None, None));

    let v = json!({"id": "777", "account_id": "1234", "name": "Creative", "status": "ACTIVE",
        "title": "Buy", "body": "Now", "object_type": "VIDEO", "thumbnail_url": "https://t/x.jpg",
        "call_to_action_type": "SHOP_NOW", "object_story_spec": {"page_id": "1"}});
    let c = map_ad_creative(&v, &ctx("USD", &t)).unwrap();
    assert_eq!(
        c,
        AdCreativeRow {
            creative_id: "777".into(),
            account_id: "1234".into(),
            name: Some("Creative".into()),
            status: Some("ACTIVE".into()),
            title: Some("Buy".into()),
            body: Some("Now".into()),
            object_type: Some("VIDEO".into()),
            thumbnail_url: Some("https://t/x.jpg".into()),
            image_url: None,
            call_to_action_type: Some("SHOP_NOW".into()),
            synced_at: at(),
        }
    );
    let bare = map_ad_creative(&json!({"id": 778}), &ctx("USD", &t)).unwrap();
    assert_eq!((bare.creative_id.as_str(), bare.name), ("778", None));
}

#[test]
fn malformed_entities_are_errors() {
    let t = types();
    let c = ctx("USD", &t);
    let err = |r: Result<(), MappingError>| r.unwrap_err().to_string();
    let campaign = |v: Value| err(map_campaign(&v, &c).map(drop));
    assert_eq!(
        campaign(json!({"id": "9", "name": "c", "effective_status": "ACTIVE", "daily_budget": "20.00"})),
        "campaign 9: field `daily_budget`: not an integer amount of minor currency units: \"20.00\""
    );
    assert_eq!(
        campaign(json!({"id": "9", "name": "c"})),
        "campaign 9: required field `effective_status` is missing"
    );
    assert_eq!(
        campaign(json!({"id": "9", "name": "c", "effective_status": "ACTIVE", "stop_time": "2026-09-03"})),
        "campaign 9: field `stop_time`: not a timestamp like 2026-09-03T10:00:00-0700: \"2026-09-03\""
    );
    assert_eq!(
        campaign(json!({"name": "c", "effective_status": "ACTIVE"})),
        "campaign ?: required field `id` is missing"
    );
    assert_eq!(
        err(map_ad_set(&json!({"id": "8", "name": "s", "effective_status": "ACTIVE"}), &c).map(drop)),
        "adset 8: required field `campaign_id` is missing"
    );
    assert_eq!(
        err(map_ad_set(
            &json!({"id": "8", "campaign_id": "1", "name": "s", "effective_status": "ACTIVE", "bid_amount": 1.5}),
            &c
        )
        .map(drop)),
        "adset 8: field `bid_amount`: not an integer amount of minor currency units: \"1.5\""
    );
    assert_eq!(
        err(map_ad(
            &json!({"id": "7", "campaign_id": "1", "adset_id": "2", "name": "a",
            "effective_status": "ACTIVE", "creative": "777"}),
            &c
        )
        .map(drop)),
        "ad 7: field `creative`: expected an object with an id, got a string"
    );
    assert_eq!(
        err(map_ad_creative(&json!({"id": "6", "title": ["x"]}), &c).map(drop)),
        "ad creative 6: field `title`: expected a string, got an array"
    );
    assert!(matches!(map_ad(&Value::Null, &c), Err(MappingError::NotAnObject { .. })));
}

#[test]
fn field_lists_cover_what_mapping_reads() {
    for (fields, must) in [
        (
            CAMPAIGN_FIELDS,
            &["effective_status", "configured_status", "objective", "daily_budget", "stop_time"][..],
        ),
        (AD_SET_FIELDS, &["campaign_id", "bid_amount", "targeting", "end_time", "updated_time"][..]),
        (AD_FIELDS, &["adset_id", "creative", "effective_status"][..]),
        (AD_CREATIVE_FIELDS, &["title", "body", "call_to_action_type"][..]),
    ] {
        let list: Vec<&str> = fields.split(',').collect();
        for f in must {
            assert!(list.contains(f), "{f} in {fields}");
        }
        assert!(list.iter().all(|f| !f.is_empty() && !f.contains(' ')), "{fields}");
    }
}

#[test]
fn payload_account_must_be_the_requested_account() {
    let t = types();
    let c = ctx("USD", &t);
    let campaign = json!({"id": "120", "account_id": "999", "name": "c", "effective_status": "ACTIVE"});
    let e = map_campaign(&campaign, &c).unwrap_err();
    assert_eq!(
        e,
        MappingError::ForeignAccount {
            object: "campaign",
            id: "120".into(),
            payload: "999".into(),
            requested: "1234".into()
        }
    );
    assert_eq!(e.to_string(), "campaign 120: `account_id` is 999 but the request was for account 1234");
    let ad = json!({"id": "5", "account_id": "act_77", "campaign_id": "1", "adset_id": "2", "name": "a",
                    "effective_status": "ACTIVE"});
    assert!(matches!(map_ad(&ad, &c), Err(MappingError::ForeignAccount { .. })));
    let creative = json!({"id": "6", "account_id": "4321"});
    assert!(matches!(map_ad_creative(&creative, &c), Err(MappingError::ForeignAccount { .. })));
    // The same account, spelled with `act_` on either side, maps.
    let same = json!({"id": "6", "account_id": "act_1234"});
    assert_eq!(map_ad_creative(&same, &c).unwrap().account_id, "1234");
    let act_ctx = MapContext { account_id: "act_1234", ..ctx("USD", &t) };
    assert_eq!(
        map_ad_creative(&json!({"id": "6", "account_id": "1234"}), &act_ctx).unwrap().account_id,
        "1234"
    );
}
