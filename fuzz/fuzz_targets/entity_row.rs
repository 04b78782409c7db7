//! Entity rows (docs/graph-api.md §6): any JSON mapped as an ad account, campaign, ad set, ad
//! and ad creative. No panic; an `Ok` row has an id, and no account id carries `act_`.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use meta_ads_sync::mapping::{
    MapContext, currency_offset, map_ad, map_ad_account, map_ad_creative, map_ad_set, map_campaign,
    minor_to_major,
};
use serde_json::Value;

fn bare(id: &str) {
    assert!(!id.is_empty() && !id.starts_with("act_"), "account id {id:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<Value>(data) else { return };
    let types = ["omni_purchase".to_string()];
    let synced_at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    if let Ok(row) = map_ad_account(&v, synced_at) {
        bare(&row.account_id);
    }
    // The payload's own currency too, when it names one.
    let own = v.get("currency").and_then(Value::as_str).unwrap_or("EUR");
    for currency in ["USD", "JPY", own] {
        let _ = currency_offset(currency);
        let ctx = MapContext { account_id: "1", currency, conversion_action_types: &types, synced_at };
        if let Ok(r) = map_campaign(&v, &ctx) {
            assert!(!r.campaign_id.is_empty());
            bare(&r.account_id);
        }
        if let Ok(r) = map_ad_set(&v, &ctx) {
            assert!(!r.ad_set_id.is_empty());
            bare(&r.account_id);
        }
        if let Ok(r) = map_ad(&v, &ctx) {
            assert!(!r.ad_id.is_empty());
            bare(&r.account_id);
        }
        if let Ok(r) = map_ad_creative(&v, &ctx) {
            assert!(!r.creative_id.is_empty());
            bare(&r.account_id);
        }
        if let Value::Object(o) = &v {
            for s in o.values().filter_map(Value::as_str) {
                let _ = minor_to_major(s, currency);
            }
        }
    }
});
