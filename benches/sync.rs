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
use meta_ads_sync::sim::{SimConfig, SimLimits, SimServer};
use meta_ads_sync::warehouse::testing::TestDb;

const PAGE: u64 = 5_000;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let accounts = env("BENCH_ACCOUNTS", 20);
    let campaigns = env("BENCH_CAMPAIGNS", 75);
    let days = env("BENCH_DAYS", 365) as u32;
    let levels_text = std::env::var("BENCH_LEVELS").unwrap_or_else(|_| "campaign,adset".to_string());
    for level in levels_text.split(',') {
        assert!(InsightLevel::parse(level.trim()).is_some(), "BENCH_LEVELS: unknown level {level:?}");
    }
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
                account_calls: Some(u32::MAX),
                account_insights_calls: Some(u32::MAX),
                app_calls: u32::MAX,
                ..SimLimits::default()
            },
            request_log_limit: 0,
            ..SimConfig::default()
        }))
        .expect("simulator");
    let sim = server.sim();
    let todays: Vec<NaiveDate> = sim.account_ids().iter().filter_map(|a| sim.today(a)).collect();
    let first_day = *todays.iter().min().unwrap() - Days::new(u64::from(days) - 1);
    println!(
        "dataset: {accounts} ad accounts × {campaigns} campaigns × 2 ad sets × 2 ads, {days} days of insights at levels {levels_text}"
    );
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
        let counts = counts(db.url());
        let insight_rows: u64 =
            counts.iter().filter(|(k, _)| k.1.starts_with("insights")).map(|(_, n)| n).sum();
        let minimum = minimum_calls(&counts);
        println!(
            "{backend:>8}: {insight_rows} insight rows in {secs:.1} s = {:.0} insight rows/s; API calls {calls} (minimum {minimum}, {:.3}×); worker peak RSS {peak}",
            insight_rows as f64 / secs,
            calls as f64 / minimum as f64
        );
    }
    rt.block_on(server.shutdown());
}

/// Rows per (account, table or `insights/<level>`) in the warehouse after the run (the e2e
/// tests prove the warehouse equals the simulator's truth; here only the sizes matter).
fn counts(url: &str) -> BTreeMap<(String, String), u64> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::Text)]
        account_id: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        what: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    const SQL: &str = "SELECT account_id, 'insights/' || level AS what, COUNT(*) AS n FROM insights_daily GROUP BY 1, 2 \
        UNION ALL SELECT account_id, 'campaigns', COUNT(*) FROM campaigns GROUP BY 1 \
        UNION ALL SELECT account_id, 'ad_sets', COUNT(*) FROM ad_sets GROUP BY 1 \
        UNION ALL SELECT account_id, 'ads', COUNT(*) FROM ads GROUP BY 1 \
        UNION ALL SELECT account_id, 'ad_creatives', COUNT(*) FROM ad_creatives GROUP BY 1 \
        UNION ALL SELECT account_id, 'account', COUNT(*) FROM ad_accounts GROUP BY 1";
    use diesel::{Connection, RunQueryDsl};
    let rows: Vec<Count> = match url.strip_prefix("sqlite://") {
        Some(path) => {
            diesel::sql_query(SQL).load(&mut diesel::SqliteConnection::establish(path).unwrap()).unwrap()
        }
        None => diesel::sql_query(SQL).load(&mut diesel::PgConnection::establish(url).unwrap()).unwrap(),
    };
    rows.into_iter().map(|c| ((c.account_id, c.what), c.n as u64)).collect()
}

/// The fewest calls any client needs: every listing page holds at most `PAGE` rows (the
/// simulator's largest honoured `limit`), one discovery page, and each (account, level) needs
/// ⌈rows / PAGE⌉ insights pages.
fn minimum_calls(counts: &BTreeMap<(String, String), u64>) -> u64 {
    let accounts = counts.keys().filter(|k| k.1 == "account").count() as u64;
    accounts.div_ceil(PAGE).max(1)
        + counts.iter().filter(|(k, _)| k.1 != "account").map(|(_, &n)| n.div_ceil(PAGE).max(1)).sum::<u64>()
}
