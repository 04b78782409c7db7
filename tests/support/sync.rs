//! The sync side of the tests: the sync world, a worker config pointing at a simulator, one
//! in-process pass, and whole-table comparison with the simulator's truth.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use meta_ads_sync::config::Config;
use meta_ads_sync::graph::{GraphClient, StaticToken};
use meta_ads_sync::model::InsightLevel;
use meta_ads_sync::sim::{SimConfig, SimLimits, SimServer, Truth, TruthQuery};
use meta_ads_sync::sync::engine::{SyncOptions, run_sync};
use meta_ads_sync::sync::report::RunReport;
use meta_ads_sync::warehouse::{Snapshot, Warehouse};
use secrecy::SecretString;

use super::sim::world;

/// The sync world: [`world`] with 4 campaigns per account, on the real clock in the
/// simulator's default businesses, API v26.0 and one page in ten empty.
pub fn small_world() -> SimConfig {
    let defaults = SimConfig::default();
    SimConfig {
        businesses: defaults.businesses,
        now: defaults.now,
        api_version: "v26.0".to_string(),
        empty_page_rate: 0.1,
        ..world(11, 4)
    }
}

/// Budgets the simulator never enforces: throttles in these tests are injected, so each one is
/// short; a real BUC throttle says "regain access in N minutes" (docs/graph-api.md §2.3), too long here.
pub fn roomy_limits() -> SimLimits {
    SimLimits {
        account_calls: Some(1_000_000),
        account_insights_calls: Some(1_000_000),
        app_calls: 1_000_000,
        ..SimLimits::default()
    }
}

/// The worker's config for `sim` and `warehouse_url`: every level, small pages so paging is
/// exercised, fast retries.
pub fn config_for(server: &SimServer, warehouse_url: &str) -> Config {
    let sim = server.sim();
    let mut cfg = Config::default();
    cfg.meta.base_url = server.base_url();
    cfg.meta.access_token = Some(SecretString::from(sim.system_user_token()));
    cfg.meta.app_secret = Some(SecretString::from(sim.config().app_secret.clone()));
    cfg.meta.app_id = Some(sim.config().app_id.clone());
    cfg.meta.page_size = 7;
    cfg.meta.retry.backoff_seconds = 0.01;
    cfg.meta.retry.max_backoff_seconds = 0.05;
    cfg.warehouse.url = warehouse_url.to_string();
    cfg.sync.levels = InsightLevel::ALL.to_vec();
    cfg
}

/// The exit code `sync` would end with after `report`.
pub fn exit_code(report: &RunReport) -> u8 {
    meta_ads_sync::cli::exit::for_report(report)
}

/// Runs one pass in-process.
pub async fn sync_once(cfg: &Config, warehouse: &Warehouse) -> RunReport {
    let token = StaticToken::new(cfg.meta.access_token.clone().expect("token"));
    let client = GraphClient::new(&cfg.meta, Arc::new(token)).expect("client");
    let opts = SyncOptions { worker_id: "test-worker".into(), ..SyncOptions::default() };
    run_sync(cfg, &client, warehouse, &opts).await.expect("sync pass")
}

/// Everything the simulator has, at every level.
pub fn truth(server: &SimServer) -> Truth {
    let q = TruthQuery {
        levels: InsightLevel::ALL.to_vec(),
        since: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        until: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
    };
    server.sim().truth(&q)
}

fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

macro_rules! normalise {
    ($rows:expr, $key:expr) => {{
        let mut rows = $rows.clone();
        for r in rows.iter_mut() {
            r.synced_at = epoch();
        }
        rows.sort_by_key($key);
        rows
    }};
}

/// Asserts the warehouse equals the truth table by table (ignoring `synced_at`), naming the
/// first differing row.
pub fn assert_matches_truth(snapshot: &Snapshot, truth: &Truth) {
    fn check<T: PartialEq + std::fmt::Debug>(table: &str, got: &[T], want: &[T]) {
        if let Some(i) = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i)) {
            panic!(
                "table {table}: {} rows in the warehouse, {} in the truth; first difference at row {i}:\n  warehouse: {:?}\n  truth:     {:?}",
                got.len(),
                want.len(),
                got.get(i),
                want.get(i)
            );
        }
    }
    check(
        "ad_accounts",
        &normalise!(snapshot.accounts, |r| r.account_id.clone()),
        &normalise!(truth.accounts, |r| r.account_id.clone()),
    );
    check(
        "campaigns",
        &normalise!(snapshot.campaigns, |r| r.campaign_id.clone()),
        &normalise!(truth.campaigns, |r| r.campaign_id.clone()),
    );
    check(
        "ad_sets",
        &normalise!(snapshot.ad_sets, |r| r.ad_set_id.clone()),
        &normalise!(truth.ad_sets, |r| r.ad_set_id.clone()),
    );
    check("ads", &normalise!(snapshot.ads, |r| r.ad_id.clone()), &normalise!(truth.ads, |r| r.ad_id.clone()));
    check(
        "ad_creatives",
        &normalise!(snapshot.creatives, |r| r.creative_id.clone()),
        &normalise!(truth.creatives, |r| r.creative_id.clone()),
    );
    let key = |r: &meta_ads_sync::model::InsightRow| (r.level, r.object_id.clone(), r.date);
    check("insights_daily", &normalise!(snapshot.insights, key), &normalise!(truth.insights, key));
}

/// A snapshot as a [`Truth`], to compare two warehouses with `assert_matches_truth`.
pub fn as_truth(s: &Snapshot) -> Truth {
    Truth {
        accounts: s.accounts.clone(),
        campaigns: s.campaigns.clone(),
        ad_sets: s.ad_sets.clone(),
        ads: s.ads.clone(),
        creatives: s.creatives.clone(),
        insights: s.insights.clone(),
    }
}
