//! Batch envelopes (docs/graph-api.md §4): any body split into item answers. The first byte
//! says which items asked for lean rows. No panic; one answer per item; every item's usage is
//! within its clamps; a good item has no `error` member.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meta_ads_sync::graph::batch::split_items;
use meta_ads_sync::graph::body::parse_body;
use meta_ads_sync::graph::usage::MAX_PCT;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&mask, body)) = data.split_first() else { return };
    let Ok(envelope) = parse_body(body) else { return };
    let n = match &envelope {
        Value::Array(a) => a.len(),
        _ => 1,
    };
    // Also the wrong count now and then: the split must refuse it, not panic.
    let n = if mask & 0x80 != 0 { n + 1 } else { n };
    let lean: Vec<bool> = (0..n).map(|i| mask & (1 << (i % 7)) != 0).collect();
    let Ok(items) = split_items(envelope, &lean) else { return };
    assert_eq!(items.len(), n);
    for (answer, usage) in &items {
        assert!(usage.app_pct().is_none_or(|p| p.is_finite() && (0.0..=MAX_PCT).contains(&p)));
        match answer {
            Ok(v) => {
                assert!(v.get("error").is_none_or(Value::is_null), "a good item with an error member: {v}")
            }
            Err(fault) => {
                let _ = fault.describe();
            }
        }
    }
});
