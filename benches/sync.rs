//! Sync benchmark: the real `meta-ads-sync sync` binary against the simulator on loopback,
//! ≥ 1,000,000 insight rows, into SQLite and PostgreSQL. Prints insight rows per second, API
//! calls next to the minimum the dataset needs, and the worker's peak memory.
//!
//! `cargo bench --bench sync`; size with BENCH_ACCOUNTS, BENCH_CAMPAIGNS, BENCH_DAYS,
//! BENCH_LEVELS (comma list), BENCH_BACKENDS (`sqlite,postgres`).

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use meta_ads_sync::model::InsightLevel;
use meta_ads_sync::sim::{SimConfig, SimLimits, SimServer, TruthQuery};
use meta_ads_sync::warehouse::testing::TestDb;

const PAGE: u64 = 5_000;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let accounts = env("BENCH_ACCOUNTS", 20);
    let campaigns = env("BENCH_CAMPAIGNS", 50);
    let days = env("BENCH_DAYS", 365) as u32;
    let levels_text = std::env::var("BENCH_LEVELS").unwrap_or_else(|_| "campaign,adset".to_string());
    let levels: Vec<InsightLevel> =
        levels_text.split(',').map(|l| InsightLevel::parse(l.trim()).expect("level")).collect();
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".to_string());

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let server = rt
        .block_on(SimServer::start(SimConfig {
            seed: 3,
            accounts,
            campaigns_per_account: campaigns,
            adsets_per_campaign: 2,
            ads_per_adset: 2,
            days,
            api_version: "v26.0".into(),
            limits: SimLimits {
                account_calls: u32::MAX,
                account_insights_calls: u32::MAX,
                app_calls: u32::MAX,
                ..SimLimits::default()
            },
            request_log_limit: 0,
            ..SimConfig::default()
        }))
        .expect("simulator");
    let sim = server.sim();
    let first_day =
        sim.account_ids().iter().filter_map(|a| sim.today(a)).min().unwrap() - Days::new(u64::from(days) - 1);
    let truth = sim.truth(&TruthQuery { levels: levels.clone(), since: first_day, until: NaiveDate::MAX });
    let insight_rows = truth.insights.len() as u64;
    let minimum = minimum_calls(&truth);
    println!(
        "dataset: {accounts} ad accounts × {campaigns} campaigns × 2 ad sets × 2 ads, {days} days, levels {levels_text}: \
         {insight_rows} insight rows, {} campaigns, {} ad sets, {} ads, {} creatives",
        truth.campaigns.len(),
        truth.ad_sets.len(),
        truth.ads.len(),
        truth.creatives.len()
    );
    drop(truth);
    for backend in backends.split(',').map(str::trim) {
        let db = match backend {
            "sqlite" => TestDb::sqlite(),
            "postgres" => TestDb::postgres(),
            other => panic!("unknown backend {other}"),
        };
        sim.reset_stats();
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bench.yaml");
        std::fs::write(
            &config,
            format!(
                "meta:\n  base_url: \"{}\"\n  access_token: \"{}\"\n  app_secret: \"{}\"\n  page_size: {PAGE}\n  rate_limit:\n    calls_per_hour: 10000000\n    insights_per_hour: 10000000\n\
                 warehouse:\n  url: \"{}\"\nsync:\n  levels: [{levels_text}]\n  start_date: \"{first_day}\"\nlogging:\n  level: warn\n",
                server.base_url(),
                sim.system_user_token(),
                sim.config().app_secret,
                db.url()
            ),
        )
        .unwrap();
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_meta-ads-sync"))
            .args(["--config", config.to_str().unwrap(), "sync"])
            .output()
            .expect("run meta-ads-sync");
        let secs = started.elapsed().as_secs_f64();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "sync failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
        let calls = sim.stats().calls;
        let peak = stdout.split("peak memory ").nth(1).map(str::trim).unwrap_or("n/a");
        println!(
            "{backend:>8}: {insight_rows} insight rows in {secs:.1} s = {:.0} insight rows/s; API calls {calls} (minimum {minimum}, {:.2}×); worker peak RSS {peak}",
            insight_rows as f64 / secs,
            calls as f64 / minimum as f64
        );
    }
    rt.block_on(server.shutdown());
}

/// The fewest calls any client needs: every listing page holds at most `PAGE` rows (the
/// simulator's largest honoured `limit`), one discovery page, and each (account, level) needs
/// ⌈rows / PAGE⌉ insights pages.
fn minimum_calls(t: &meta_ads_sync::sim::Truth) -> u64 {
    let pages = |n: u64| n.div_ceil(PAGE).max(1);
    let mut per: BTreeMap<(String, &str), u64> = BTreeMap::new();
    for c in &t.campaigns {
        *per.entry((c.account_id.clone(), "campaigns")).or_default() += 1;
    }
    for c in &t.ad_sets {
        *per.entry((c.account_id.clone(), "ad_sets")).or_default() += 1;
    }
    for c in &t.ads {
        *per.entry((c.account_id.clone(), "ads")).or_default() += 1;
    }
    for c in &t.creatives {
        *per.entry((c.account_id.clone(), "creatives")).or_default() += 1;
    }
    let mut insights: BTreeMap<(String, InsightLevel), u64> = BTreeMap::new();
    for r in &t.insights {
        *insights.entry((r.account_id.clone(), r.level)).or_default() += 1;
    }
    pages(t.accounts.len() as u64)
        + per.values().map(|&n| pages(n)).sum::<u64>()
        + insights.values().map(|&n| pages(n)).sum::<u64>()
}
