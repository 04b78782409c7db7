//! A failure part-way through a multi-chunk commit leaves rows and cursors as they were.

use crate::support::backends::both_backends;
use crate::support::rows::*;
use meta_ads_sync::warehouse::testing::TestDb;
use meta_ads_sync::warehouse::{CursorAdvance, WriteBatch};

both_backends!(late_chunk_failure_rolls_back_rows_and_cursor, |db: &TestDb| {
    let wh = db.migrated().with_chunk_rows(10);
    wh.commit(&full_batch()).unwrap();
    let before = wh.snapshot().unwrap();
    let cursors_before = wh.cursors().unwrap();

    let mut rows = insights(100);
    rows[95].impressions = -1; // violates CHECK (impressions >= 0) in the 10th chunk
    let mut renamed = campaign("c1", "1001");
    renamed.name = "must not stick".into();
    let batch = WriteBatch {
        campaigns: vec![renamed],
        insights: rows,
        cursors: vec![CursorAdvance {
            account_id: "1001".into(),
            stream: "insights:campaign".into(),
            cursor: "2099-01-01".into(),
        }],
        ..WriteBatch::default()
    };
    let err = wh.commit(&batch).unwrap_err().to_string();
    assert!(err.contains("impressions"), "{err}");

    assert_eq!(wh.snapshot().unwrap(), before);
    assert_eq!(wh.cursors().unwrap(), cursors_before);
    // The warehouse is usable afterwards (the pooled connection is not stuck in a transaction).
    let mut fixed = batch.clone();
    fixed.insights[95].impressions = 5;
    assert_eq!(wh.commit(&fixed).unwrap().insights, 100);
    assert_eq!(
        wh.cursor("1001", "insights:campaign").unwrap().unwrap().cursor.as_deref(),
        Some("2099-01-01")
    );
});
