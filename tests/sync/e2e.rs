//! A first sync into an empty warehouse equals the truth, on both backends.

use meta_ads_sync::sim::SimServer;
use meta_ads_sync::warehouse::testing::TestDb;

use crate::support::backends::both_backends_async;
use crate::support::sync::{assert_matches_truth, config_for, exit_code, small_world, sync_once, truth};

async fn first_sync_equals_truth(open: fn() -> TestDb) {
    let db = open();
    let server = SimServer::start(small_world()).await.unwrap();
    let cfg = config_for(&server, db.url());
    let wh = db.migrated();
    let report = sync_once(&cfg, &wh).await;
    assert_eq!(exit_code(&report), 0, "{report:?}");
    let snapshot = wh.snapshot().unwrap();
    assert!(!snapshot.insights.is_empty());
    assert_matches_truth(&snapshot, &truth(&server));
}

both_backends_async!(first_sync_equals_truth);
