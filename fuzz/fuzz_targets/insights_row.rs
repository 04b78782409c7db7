//! Insights rows (docs/graph-api.md §5.1): any JSON mapped at every level, in a currency with
//! and one without minor units. No panic; an `Ok` row carries the ids of its level.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use meta_ads_sync::mapping::{MapContext, map_insight, parse_date, parse_decimal, parse_timestamp};
use meta_ads_sync::model::InsightLevel;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<Value>(data) else { return };
    let types = ["omni_purchase".to_string(), "purchase".to_string()];
    let synced_at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    for currency in ["USD", "JPY"] {
        let ctx = MapContext { account_id: "1", currency, conversion_action_types: &types, synced_at };
        for level in InsightLevel::ALL {
            let Ok(row) = map_insight(&v, level, &ctx) else { continue };
            assert!(!row.object_id.is_empty() && !row.account_id.is_empty());
            assert!(!row.account_id.starts_with("act_"), "{}", row.account_id);
            let expected = match level {
                InsightLevel::Account => Some(&row.account_id),
                InsightLevel::Campaign => row.campaign_id.as_ref(),
                InsightLevel::AdSet => row.ad_set_id.as_ref(),
                InsightLevel::Ad => row.ad_id.as_ref(),
            };
            assert_eq!(expected, Some(&row.object_id));
        }
    }
    // The value parsers on every string of the payload.
    if let Value::Object(o) = &v {
        for s in o.values().filter_map(Value::as_str) {
            let _ = (parse_decimal(s), parse_date(s), parse_timestamp(s));
        }
    }
});
