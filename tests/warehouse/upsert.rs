//! Bulk upserts: idempotent, last row wins inside a batch, multi-chunk, nothing deleted.

use crate::support::backends::both_backends;
use crate::support::raw::Raw;
use crate::support::rows::*;
use meta_ads_sync::warehouse::testing::TestDb;
use meta_ads_sync::warehouse::{Snapshot, WriteBatch};

fn sorted(batch: &WriteBatch) -> Snapshot {
    let mut s = Snapshot {
        accounts: batch.accounts.clone(),
        campaigns: batch.campaigns.clone(),
        ad_sets: batch.ad_sets.clone(),
        ads: batch.ads.clone(),
        creatives: batch.creatives.clone(),
        insights: batch.insights.clone(),
    };
    s.accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    s.campaigns.sort_by(|a, b| a.campaign_id.cmp(&b.campaign_id));
    s.ad_sets.sort_by(|a, b| a.ad_set_id.cmp(&b.ad_set_id));
    s.ads.sort_by(|a, b| a.ad_id.cmp(&b.ad_id));
    s.creatives.sort_by(|a, b| a.creative_id.cmp(&b.creative_id));
    s.insights.sort_by(|a, b| (a.level, &a.object_id, a.date).cmp(&(b.level, &b.object_id, b.date)));
    s
}

both_backends!(same_input_twice_leaves_the_same_tables, |db: &TestDb| {
    let wh = db.migrated().with_chunk_rows(50);
    let mut batch = full_batch();
    batch.insights.extend(insights(500));
    let first = wh.commit(&batch).unwrap();
    assert_eq!(first.insights, 504);
    let after_first = wh.snapshot().unwrap();
    let cursors_first = wh.cursors().unwrap();
    let second = wh.commit(&batch).unwrap();
    assert_eq!(first.rows_upserted(), second.rows_upserted());
    assert_eq!(wh.snapshot().unwrap(), after_first);
    assert_eq!(after_first, sorted(&batch));
    let cursors_second = wh.cursors().unwrap();
    assert_eq!(cursors_first.len(), cursors_second.len());
    assert_eq!(cursors_second[0].cursor.as_deref(), Some("2026-09-02"));
});

both_backends!(in_batch_duplicates_resolve_to_the_last_row, |db: &TestDb| {
    // Chunks of 7 put duplicates both inside one statement and across statements.
    let wh = db.migrated().with_chunk_rows(7);
    let mut rows = insights(40);
    let mut late = rows[3].clone();
    late.spend = dec("999.99");
    late.actions = None;
    rows.push(late.clone());
    let mut later = rows[5].clone();
    later.impressions = 1;
    rows.insert(6, later.clone());
    let mut first_campaign = campaign("c1", "1001");
    first_campaign.name = "old".into();
    let batch = WriteBatch {
        campaigns: vec![first_campaign, campaign("c9", "1001"), campaign("c1", "1001")],
        insights: rows,
        ..WriteBatch::default()
    };
    let stats = wh.commit(&batch).unwrap();
    assert_eq!(stats.duplicates_dropped, 3);
    assert_eq!((stats.campaigns, stats.insights), (2, 40));
    let snap = wh.snapshot().unwrap();
    assert_eq!(snap.insights.len(), 40);
    let find = |r: &meta_ads_sync::model::InsightRow| {
        snap.insights
            .iter()
            .find(|s| (s.level, &s.object_id, s.date) == (r.level, &r.object_id, r.date))
            .unwrap()
            .clone()
    };
    assert_eq!(find(&late), late);
    assert_eq!(find(&later), later);
    assert_eq!(snap.campaigns.iter().find(|c| c.campaign_id == "c1").unwrap(), &campaign("c1", "1001"));
});

both_backends!(deleted_objects_keep_their_rows, |db: &TestDb| {
    let wh = db.migrated();
    wh.commit(&full_batch()).unwrap();
    let mut gone = campaign("c1", "1001");
    gone.status = "deleted".into();
    gone.effective_status = "DELETED".into();
    // A later sync that only sees the deletion, and one that sees nothing at all.
    wh.commit(&WriteBatch { campaigns: vec![gone.clone()], ..WriteBatch::default() }).unwrap();
    wh.commit(&WriteBatch::default()).unwrap();
    let snap = wh.snapshot().unwrap();
    assert_eq!(snap.campaigns.len(), 2);
    assert_eq!(snap.campaigns[0], gone);
    assert_eq!(snap.insights.len(), full_batch().insights.len());
});

both_backends!(views_derive_metrics_from_additive_sums, |db: &TestDb| {
    let wh = db.migrated();
    wh.commit(&full_batch()).unwrap();
    let mut raw = Raw::open(db.url());
    let cast = |e: &str| format!("CAST({e} AS TEXT)");
    // Two campaign rows for c1: spend 123.46 + 123.47, impressions 1001 + 1002, clicks 11 + 12.
    let sql = format!(
        "SELECT {} || '|' || {} || '|' || {} || '|' || {} AS v FROM campaign_insights_daily \
         WHERE campaign_id = 'c1'",
        cast("SUM(spend)"),
        cast("ROUND(SUM(spend) * 1000 / SUM(impressions), 4)"),
        cast("ROUND(SUM(spend) / SUM(clicks), 4)"),
        cast("COUNT(campaign_name)")
    );
    let row = raw.strings(&sql).remove(0);
    let f: Vec<f64> = row.split('|').map(|s| s.parse().unwrap()).collect();
    assert!((f[0] - 246.93).abs() < 1e-9, "{row}");
    assert!((f[1] - 123.2801).abs() < 1e-9, "{row}");
    assert!((f[2] - 10.7361).abs() < 1e-9, "{row}");
    assert_eq!(f[3], 2.0, "{row}");
    let per_row = raw.strings(&format!(
        "SELECT {} AS v FROM campaign_insights_daily WHERE campaign_id = 'c1' ORDER BY date",
        cast("cpm")
    ));
    assert_eq!(per_row[0].parse::<f64>().unwrap(), 123.336663, "{per_row:?}");
});
