//! Every field survives the round trip exactly: decimals, timestamps, JSON, awkward text.

use crate::support::backends::both_backends;
use crate::support::rows::*;
use meta_ads_sync::warehouse::WriteBatch;
use meta_ads_sync::warehouse::testing::TestDb;

both_backends!(every_field_round_trips_exactly, |db: &TestDb| {
    let wh = db.migrated();
    let mut batch = full_batch();
    let mut extreme = insight("c-extreme", day("1999-12-31"), 0);
    extreme.spend = dec("79228162514264337593543950335");
    extreme.cpm = Some(dec("0.0000000000000000000000000001"));
    extreme.cpc = Some(dec("-7922816251426433759354395033.5"));
    extreme.reach = Some(i64::MAX);
    extreme.impressions = i64::MAX;
    extreme.inline_link_clicks = Some(i64::MAX);
    extreme.actions =
        Some(serde_json::json!([{"a": [1, 2.5, -3e-7, null, true, {"b": "\\\t\"é\u{1}"}]}]).into());
    extreme.synced_at = ts("2262-04-11T23:47:16.854775Z");
    batch.insights.push(extreme);
    batch.accounts[0].created_time = Some(ts("1970-01-01T00:00:00.000001Z"));
    batch.creatives[0].title = Some("\\N is not NULL".into());
    batch.creatives[0].name = Some(String::new());
    wh.commit(&batch).unwrap();

    let snap = wh.snapshot().unwrap();
    let mut expected = batch.clone();
    expected.insights.sort_by(|a, b| (a.level, &a.object_id, a.date).cmp(&(b.level, &b.object_id, b.date)));
    expected.accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    assert_eq!(snap.accounts, expected.accounts);
    assert_eq!(snap.campaigns, expected.campaigns);
    assert_eq!(snap.ad_sets, expected.ad_sets);
    assert_eq!(snap.ads, expected.ads);
    assert_eq!(snap.creatives, expected.creatives);
    assert_eq!(snap.insights, expected.insights);
    // Numerically equal is the contract; check the stored scale does not leak into other rows.
    assert_eq!(snap.campaigns[0].daily_budget.unwrap().to_string().parse::<f64>().unwrap(), 50.0);
});

both_backends!(an_empty_warehouse_snapshots_empty, |db: &TestDb| {
    let wh = db.migrated();
    wh.commit(&WriteBatch::default()).unwrap();
    assert_eq!(wh.snapshot().unwrap(), Default::default());
});
