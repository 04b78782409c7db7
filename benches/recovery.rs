//! Recovery benchmark: a small two-account sync (in process, real client, a real SQLite file,
//! the simulator on loopback), once fault-free and once with the simulator injecting one
//! transient error (code 2) and one `null` batch item. Prints both durations, what the client
//! retried and what it waited, and asserts that both warehouses equal the simulator's truth.
//! The client's retry settings are the shipped defaults, so the extra time is what a real
//! recovery costs (the transient error's backoff; a `null` item is re-sent at once).
//!
//! `cargo bench --bench recovery`

#[path = "../tests/support/mod.rs"]
mod support;

use support::sync as common;

use std::sync::Arc;
use std::time::Instant;

use meta_ads_sync::config::{Config, RetryConfig};
use meta_ads_sync::graph::{GraphClient, StaticToken};
use meta_ads_sync::sim::{Fault, FaultRule, SimConfig, SimServer};
use meta_ads_sync::sync::engine::{SyncOptions, run_sync};
use meta_ads_sync::warehouse::testing::TestDb;

/// What one run showed.
struct Run {
    secs: f64,
    retries: u64,
    waited_secs: f64,
    injected: u64,
    null_items: u64,
    insight_rows: usize,
}

fn world() -> SimConfig {
    SimConfig { accounts: 2, empty_page_rate: 0.0, ..common::small_world() }
}

/// The test config, but with the shipped retry defaults and 100-row pages.
fn config(server: &SimServer, url: &str) -> Config {
    let mut cfg = common::config_for(server, url);
    cfg.meta.retry = RetryConfig::default();
    cfg.meta.page_size = 100;
    cfg
}

async fn run(faults: &[FaultRule]) -> Run {
    let server = SimServer::start(world()).await.expect("simulator");
    for rule in faults {
        server.sim().inject(rule.clone());
    }
    let db = TestDb::sqlite();
    let warehouse = db.migrated();
    let cfg = config(&server, db.url());
    let token = StaticToken::new(cfg.meta.access_token.clone().expect("token"));
    let client = GraphClient::new(&cfg.meta, Arc::new(token)).expect("client");
    let opts = SyncOptions { worker_id: "recovery-bench".into(), ..SyncOptions::default() };
    let started = Instant::now();
    let report = run_sync(&cfg, &client, &warehouse, &opts).await.expect("sync pass");
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(common::exit_code(&report), 0, "the sync did not succeed: {report:?}");
    let snapshot = warehouse.snapshot().expect("snapshot");
    common::assert_matches_truth(&snapshot, &common::truth(&server));
    let (stats, sim) = (client.stats(), server.sim().stats());
    let run = Run {
        secs,
        retries: stats.retries,
        waited_secs: stats.waited.as_secs_f64(),
        injected: sim.injected_faults,
        null_items: sim.null_batch_items,
        insight_rows: snapshot.insights.len(),
    };
    server.shutdown().await;
    run
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let clean = rt.block_on(run(&[]));
    assert_eq!(clean.injected, 0);
    let faults = [
        // One transient error on the 3rd insights call, one `null` on the 1st batch item.
        FaultRule::error(2).insights().nth(&[3]),
        FaultRule::new(Fault::BatchNull).in_batch(true).nth(&[1]),
    ];
    let faulty = rt.block_on(run(&faults));
    assert_eq!(faulty.injected, 2, "both faults must fire");
    assert_eq!(faulty.null_items, 1, "one null batch item");
    assert!(faulty.retries >= 2, "the client retried the transient error and re-sent the null item");
    println!(
        "recovery: 2 ad accounts, {} insight rows, every level; warehouse equals the truth in both runs",
        clean.insight_rows
    );
    for (name, r) in [("fault-free", &clean), ("1 transient + 1 null item", &faulty)] {
        println!(
            "{name:>26}: {:.2} s; {} faults injected, {} retries, {:.2} s waited",
            r.secs, r.injected, r.retries, r.waited_secs
        );
    }
    println!("{:>26}: {:+.2} s", "recovery cost", faulty.secs - clean.secs);
}
