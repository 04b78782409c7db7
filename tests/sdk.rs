//! Meta's official Python Business SDK (`facebook_business`, pinned in
//! `tests/sdk/requirements.txt`) against the simulator, changed only in its base URL: the
//! script `tests/sdk/compare.py` reads accounts, campaigns, ad sets, ads, creatives, a
//! synchronous and an async insights report and batch requests, and compares every record with
//! the simulator's truth. This test starts the simulator on loopback, runs the script with the
//! Python of `SDK_PYTHON` (a venv that `scripts/test.sh` prepares under `target/sdk-venv`),
//! and checks its exit code and the number of records it compared.

mod support;

use meta_ads_sync::model::InsightLevel;
use meta_ads_sync::sim::{SimConfig, SimLimits, SimServer, TruthQuery};
use std::collections::BTreeMap;
use std::process::Command;
use support::sim::world;

const SINCE: &str = "2026-08-25";
const UNTIL: &str = "2026-09-01";

fn sdk_world() -> SimConfig {
    SimConfig {
        // The SDK signs every call; make the proof mandatory so that is checked too.
        require_appsecret_proof: true,
        limits: SimLimits::unlimited(),
        ..world(11, 6)
    }
}

fn python() -> String {
    match std::env::var("SDK_PYTHON") {
        Ok(p) if !p.trim().is_empty() => p,
        _ => panic!(
            "SDK_PYTHON is not set: run scripts/test.sh (it prepares target/sdk-venv with the pinned \
             facebook_business SDK and sets SDK_PYTHON to its python), or set SDK_PYTHON to a python \
             that has `pip install -r tests/sdk/requirements.txt`"
        ),
    }
}

/// `compared a=1 b=2` → {a: 1, b: 2}.
fn counts(stdout: &str) -> BTreeMap<String, usize> {
    let line = stdout.lines().find_map(|l| l.strip_prefix("compared ")).unwrap_or_default();
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.parse().unwrap_or(usize::MAX)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_sdk_reads_the_world_as_the_truth_has_it() {
    let python = python();
    let server = SimServer::start(sdk_world()).await.expect("simulator starts");
    let sim = server.sim();
    let root = server.root_url();
    let truth = sim.truth(&TruthQuery {
        levels: vec![InsightLevel::Campaign, InsightLevel::Ad],
        since: SINCE.parse().unwrap(),
        until: UNTIL.parse().unwrap(),
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/compare.py");
    let cfg = sim.config().clone();
    let token = sim.system_user_token();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(&python)
            .arg(script)
            .env("SIM_ROOT", &root)
            .env("SIM_TOKEN", token)
            .env("SIM_APP_ID", &cfg.app_id)
            .env("SIM_APP_SECRET", &cfg.app_secret)
            .env("SIM_SINCE", SINCE)
            .env("SIM_UNTIL", UNTIL)
            .output()
    })
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("cannot run SDK_PYTHON: {e}; run scripts/test.sh"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "compare.py failed ({}):\n{stdout}\n{stderr}", out.status);
    println!("{stdout}");

    let rows = |l: InsightLevel| truth.insights.iter().filter(|r| r.level == l).count();
    let campaign_actions: usize = truth
        .insights
        .iter()
        .filter(|r| r.level == InsightLevel::Campaign)
        .filter_map(|r| r.actions.as_ref())
        .map(|a| a.to_value().as_array().map_or(0, Vec::len))
        .sum();
    let n = |k: &str, v: usize| (k.to_string(), v);
    let want: BTreeMap<String, usize> = [
        n("accounts", truth.accounts.len()),
        n("campaigns", truth.campaigns.len()),
        n("adsets", truth.ad_sets.len()),
        n("ads", truth.ads.len()),
        n("creatives", truth.creatives.len()),
        n("full_reads", 6),
        n("refusals", 1),
        n("insights_sync", rows(InsightLevel::Campaign)),
        n("window_actions", campaign_actions),
        n("report_runs", truth.accounts.len()),
        n("insights_async", rows(InsightLevel::Ad)),
        n("batch_items", truth.campaigns.len()),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts(&stdout), want, "{stdout}");
    assert!(rows(InsightLevel::Ad) > 100 && campaign_actions > 100, "the world is too small to show much");

    // What the simulator saw: one report run per account, one batch item per campaign.
    let stats = sim.stats();
    assert_eq!(stats.async_jobs as usize, truth.accounts.len());
    assert_eq!(stats.batch_items as usize, truth.campaigns.len());
    assert!(stats.tokens_in_url > 0, "the SDK sends the token in the query string");
    server.shutdown().await;
}
