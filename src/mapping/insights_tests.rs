use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::*;

fn at() -> DateTime<Utc> {
    "2026-09-04T00:00:00Z".parse().unwrap()
}

fn ctx(types: &[String]) -> MapContext<'_> {
    MapContext { account_id: "1234", currency: "USD", conversion_action_types: types, synced_at: at() }
}

fn omni() -> Vec<String> {
    vec!["omni_purchase".to_owned()]
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 3).unwrap()
}

/// A row shaped like docs/graph-api.md §5.1: string metrics, `AdsActionStats` arrays with attribution keys,
/// and fields mapping does not read.
fn realistic() -> Value {
    json!({
        "account_id": "1234", "campaign_id": "120", "adset_id": "238", "ad_id": "555",
        "date_start": "2026-09-03", "date_stop": "2026-09-03",
        "impressions": "361324", "reach": "201002", "clicks": "4210", "inline_link_clicks": "2987",
        "spend": "5339.5",
        "cpm": "14.777596", "cpc": "1.268290", "ctr": "1.165159", "frequency": "1.797614",
        "actions": [
            {"action_type": "link_click", "value": "30"},
            {"action_type": "purchase", "value": "2", "1d_click": "1", "7d_click": "2"},
            {"action_type": "omni_purchase", "value": "3", "7d_click": "3"}
        ],
        "action_values": [
            {"action_type": "purchase", "value": "90.5"},
            {"action_type": "omni_purchase", "value": "120.25"}
        ],
        "purchase_roas": [{"action_type": "omni_purchase", "value": "6.03"}],
        "account_currency": "USD", "attribution_setting": "7d_click_1d_view",
        "unique_actions": [{"action_type": "link_click", "value": "28"}]
    })
}

#[test]
fn realistic_row_at_campaign_level() {
    let t = omni();
    let row = map_insight(&realistic(), InsightLevel::Campaign, &ctx(&t)).unwrap();
    let v = realistic();
    assert_eq!(
        row,
        InsightRow {
            level: InsightLevel::Campaign,
            object_id: "120".into(),
            date: day(),
            account_id: "1234".into(),
            campaign_id: Some("120".into()),
            ad_set_id: None,
            ad_id: None,
            impressions: 361_324,
            reach: Some(201_002),
            clicks: 4210,
            inline_link_clicks: Some(2987),
            spend: d("5339.5"),
            cpm: Some(d("14.777596")),
            cpc: Some(d("1.268290")),
            ctr: Some(d("1.165159")),
            frequency: Some(d("1.797614")),
            conversions: Some(d("3")),
            conversion_value: Some(d("120.25")),
            roas: Some(d("6.03")),
            actions: Some(v["actions"].clone().into()),
            action_values: Some(v["action_values"].clone().into()),
            purchase_roas: Some(v["purchase_roas"].clone().into()),
            synced_at: at(),
        }
    );
}

#[test]
fn ids_per_level() {
    let t = omni();
    let ids = |row: &InsightRow| {
        (row.object_id.clone(), row.campaign_id.clone(), row.ad_set_id.clone(), row.ad_id.clone())
    };
    let s = |x: &str| Some(x.to_owned());
    let cases = [
        (InsightLevel::Account, ("1234".to_owned(), None, None, None)),
        (InsightLevel::Campaign, ("120".to_owned(), s("120"), None, None)),
        (InsightLevel::AdSet, ("238".to_owned(), s("120"), s("238"), None)),
        (InsightLevel::Ad, ("555".to_owned(), s("120"), s("238"), s("555"))),
    ];
    for (level, want) in cases {
        // With actions: every level sums the same arrays.
        let row = map_insight(&realistic(), level, &ctx(&t)).unwrap();
        assert_eq!((row.level, ids(&row)), (level, want.clone()));
        assert_eq!((row.account_id.as_str(), row.conversions), ("1234", Some(d("3"))));
        // Without actions, and with only the ids that level returns.
        let mut v = json!({"account_id": "1234", "date_start": "2026-09-03", "date_stop": "2026-09-03",
                           "impressions": "10", "spend": "1.5"});
        for (key, id) in [("campaign_id", &want.1), ("adset_id", &want.2), ("ad_id", &want.3)] {
            if let Some(id) = id {
                v[key] = json!(id);
            }
        }
        let row = map_insight(&v, level, &ctx(&t)).unwrap();
        assert_eq!(ids(&row), want, "{level}");
        assert_eq!((row.conversions, row.conversion_value, row.roas), (None, None, None));
        assert_eq!((row.actions, row.action_values, row.purchase_roas), (None, None, None));
    }
}

#[test]
fn absent_metrics() {
    let t = omni();
    let v = json!({"account_id": "1234", "campaign_id": "120", "date_start": "2026-09-03", "date_stop": "2026-09-03"});
    let row = map_insight(&v, InsightLevel::Campaign, &ctx(&t)).unwrap();
    assert_eq!((row.impressions, row.clicks, row.spend), (0, 0, Decimal::ZERO));
    // Requested but omitted (no data) is zero link clicks, not unknown.
    assert_eq!(row.inline_link_clicks, Some(0));
    assert_eq!((row.reach, row.cpm, row.cpc, row.ctr, row.frequency), (None, None, None, None, None));
    // Nulls and JSON numbers read like absent fields and strings; a missing account_id falls back.
    let v = json!({"campaign_id": 120, "date_start": "2026-09-03", "impressions": 12, "clicks": null,
                   "spend": 2.25, "reach": null, "cpm": 187.5, "inline_link_clicks": 7});
    let row = map_insight(&v, InsightLevel::Campaign, &ctx(&t)).unwrap();
    assert_eq!((row.account_id.as_str(), row.object_id.as_str()), ("1234", "120"));
    assert_eq!(
        (row.impressions, row.clicks, row.spend, row.reach, row.cpm),
        (12, 0, d("2.25"), None, Some(d("187.5")))
    );
    assert_eq!(row.inline_link_clicks, Some(7));
    let v = json!({"campaign_id": "120", "date_start": "2026-09-03", "inline_link_clicks": null});
    assert_eq!(map_insight(&v, InsightLevel::Campaign, &ctx(&t)).unwrap().inline_link_clicks, Some(0));
}

#[test]
fn configured_action_types() {
    let row_with = |types: &[&str]| {
        let t: Vec<String> = types.iter().map(|s| s.to_string()).collect();
        let r = map_insight(&realistic(), InsightLevel::Ad, &ctx(&t)).unwrap();
        (r.conversions, r.conversion_value, r.roas)
    };
    let cases: [(&[&str], _); 5] = [
        (&["omni_purchase"], (Some(d("3")), Some(d("120.25")), Some(d("6.03")))),
        (&["purchase"], (Some(d("2")), Some(d("90.5")), None)),
        (&["purchase", "link_click"], (Some(d("32")), Some(d("90.5")), None)),
        (&["omni_purchase", "purchase"], (Some(d("5")), Some(d("210.75")), Some(d("6.03")))),
        (&["lead"], (None, None, None)),
    ];
    for (types, want) in cases {
        assert_eq!(row_with(types), want, "{types:?}");
    }
    assert_eq!(row_with(&[]), (None, None, None));
    // Two ROAS entries for configured types add up, as the value sum over shared spend would.
    let mut v = realistic();
    v["purchase_roas"] = json!([{"action_type": "omni_purchase", "value": "2.5"},
                                {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "1.25"}]);
    let t = vec!["omni_purchase".to_owned(), "offsite_conversion.fb_pixel_purchase".to_owned()];
    assert_eq!(map_insight(&v, InsightLevel::Ad, &ctx(&t)).unwrap().roas, Some(d("3.75")));
}

#[test]
fn malformed_rows_are_errors() {
    let t = omni();
    let err = |patch: Value, level: InsightLevel| {
        let mut v = realistic();
        for (k, val) in patch.as_object().unwrap() {
            v[k] = val.clone();
        }
        map_insight(&v, level, &ctx(&t)).unwrap_err().to_string()
    };
    use InsightLevel::*;
    let cases = [
        (
            json!({"impressions": "12.5"}),
            Campaign,
            "campaign insights 120 on 2026-09-03: field `impressions`: not an integer: \"12.5\"",
        ),
        (
            json!({"inline_link_clicks": "1e3"}),
            Ad,
            "ad insights 555 on 2026-09-03: field `inline_link_clicks`: not an integer: \"1e3\"",
        ),
        (
            json!({"spend": "abc"}),
            Ad,
            "ad insights 555 on 2026-09-03: field `spend`: not a decimal number: \"abc\"",
        ),
        (
            json!({"ctr": ""}),
            Account,
            "account insights 1234 on 2026-09-03: field `ctr`: not a decimal number: \"\"",
        ),
        (json!({"date_start": null}), AdSet, "adset insights 238: required field `date_start` is missing"),
        (
            json!({"date_start": "2026-9-3"}),
            AdSet,
            "adset insights 238: field `date_start`: not a date like 2026-09-03: \"2026-9-3\"",
        ),
        (
            json!({"date_stop": "2026-09-09"}),
            Campaign,
            "campaign insights 120 on 2026-09-03: field `date_stop`: differs from date_start: not a daily row",
        ),
        (json!({"campaign_id": null}), AdSet, "adset insights ?: required field `campaign_id` is missing"),
        (json!({"ad_id": null}), Ad, "ad insights ?: required field `ad_id` is missing"),
        (
            json!({"actions": {"action_type": "x"}}),
            Campaign,
            "campaign insights 120 on 2026-09-03: field `actions`: expected an array of action stats, got an object",
        ),
        (
            json!({"actions": ["omni_purchase"]}),
            Campaign,
            "campaign insights 120 on 2026-09-03: field `actions[0]`: expected an object, got a string",
        ),
        (
            json!({"actions": [{"value": "1"}]}),
            Campaign,
            "campaign insights 120 on 2026-09-03: required field `actions[0].action_type` is missing",
        ),
        (
            json!({"action_values": [{"action_type": "omni_purchase"}]}),
            Campaign,
            "campaign insights 120 on 2026-09-03: required field `action_values[0].value` is missing",
        ),
        (
            json!({"purchase_roas": [{"action_type": "omni_purchase", "value": "6,03"}]}),
            Campaign,
            "campaign insights 120 on 2026-09-03: field `purchase_roas[0].value`: not a decimal number: \"6,03\"",
        ),
    ];
    for (patch, level, want) in cases {
        assert_eq!(err(patch.clone(), level), want, "{patch}");
    }
    // An unreadable value on an entry of a type that is not configured is kept raw, not read.
    let mut v = realistic();
    v["actions"] = json!([{"action_type": "link_click", "value": "n/a"}]);
    assert_eq!(map_insight(&v, InsightLevel::Campaign, &ctx(&t)).unwrap().conversions, None);
}

#[test]
fn fields_constant_lists_every_field_read() {
    let list: Vec<&str> = INSIGHTS_FIELDS.split(',').collect();
    for f in [
        "account_id",
        "campaign_id",
        "adset_id",
        "ad_id",
        "date_start",
        "date_stop",
        "impressions",
        "reach",
        "clicks",
        "inline_link_clicks",
        "spend",
        "cpm",
        "cpc",
        "ctr",
        "frequency",
        "actions",
        "action_values",
        "purchase_roas",
    ] {
        assert!(list.contains(&f), "{f}");
    }
    assert_eq!(list.len(), 18);
}

#[test]
fn insight_row_of_another_account_is_refused() {
    let t = omni();
    let v = json!({"account_id": "98765", "campaign_id": "120", "date_start": "2026-09-03", "date_stop": "2026-09-03"});
    let e = map_insight(&v, InsightLevel::Campaign, &ctx(&t)).unwrap_err();
    assert!(
        matches!(&e, MappingError::ForeignAccount { payload, requested, .. } if payload == "98765" && requested == "1234"),
        "{e}"
    );
}
