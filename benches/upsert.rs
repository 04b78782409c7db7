//! Insights upsert throughput on PostgreSQL and SQLite: first insert and re-upsert of the same
//! rows (every row conflicts and is updated), next to a plain PostgreSQL `COPY` of the same
//! rows into a table without keys. Run with `cargo bench --bench upsert` (release build).
//!
//! Env: `BENCH_ROWS` (default 1,000,000), `BENCH_BATCH` rows per commit (default 100,000),
//! `BENCH_BACKENDS` (default `postgres,sqlite`), `TEST_DATABASE_URL` admin URL for the scratch
//! PostgreSQL database.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use meta_ads_sync::model::{InsightLevel, InsightRow};
use meta_ads_sync::warehouse::testing::{TestDb, copy_insights_to_scratch};
use meta_ads_sync::warehouse::{CursorAdvance, Warehouse, WriteBatch};
use rust_decimal::Decimal;
use serde_json::json;

const DAYS: usize = 90;
const ACCOUNTS: usize = 10;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

/// Ad-level rows shaped like Meta's: every metric set, three actions, one value, one ROAS.
fn dataset(n: usize, synced_at: DateTime<Utc>) -> Vec<InsightRow> {
    let start = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    (0..n)
        .map(|i| {
            let ad = i / DAYS;
            let account = format!("10000000000{}", ad % ACCOUNTS);
            let impressions = 100 + next(50_000) as i64;
            let clicks = next(impressions as u64 / 20 + 1) as i64;
            let spend_cents = 50 + next(40_000) as i64;
            let purchases = next(5) as i64;
            InsightRow {
                level: InsightLevel::Ad,
                object_id: format!("2385{ad:011}"),
                date: start + chrono::Days::new((i % DAYS) as u64),
                account_id: account,
                campaign_id: Some(format!("2384{:011}", ad / 50)),
                ad_set_id: Some(format!("2383{:011}", ad / 5)),
                ad_id: Some(format!("2385{ad:011}")),
                impressions,
                reach: Some(impressions * 4 / 5),
                clicks,
                inline_link_clicks: Some(clicks * 3 / 4),
                spend: Decimal::new(spend_cents, 2),
                cpm: Some(Decimal::new(spend_cents * 10_000_000 / impressions, 6)),
                cpc: (clicks > 0).then(|| Decimal::new(spend_cents * 10_000 / clicks, 6)),
                ctr: Some(Decimal::new(clicks * 100_000_000 / impressions, 6)),
                frequency: Some(Decimal::new(1_000_000 + next(500_000) as i64, 6)),
                conversions: Some(Decimal::from(purchases)),
                conversion_value: Some(Decimal::new(purchases * 4_999, 2)),
                roas: Some(Decimal::new(purchases * 4_999 * 1_000_000 / spend_cents, 6)),
                actions: Some(json!([
                    {"action_type": "link_click", "value": clicks.to_string()},
                    {"action_type": "landing_page_view", "value": (clicks * 3 / 4).to_string()},
                    {"action_type": "omni_purchase", "value": purchases.to_string()},
                ]).into()),
                action_values: Some(json!([{"action_type": "omni_purchase", "value": format!("{}.{:02}", purchases * 49, purchases * 99 % 100)}]).into()),
                purchase_roas: Some(json!([{"action_type": "omni_purchase", "value": "1.234567"}]).into()),
                synced_at,
            }
        })
        .collect()
}

/// `rows` as commits of `batch` rows, each with a cursor advance.
fn batches(rows: &[InsightRow], batch: usize) -> Vec<WriteBatch> {
    rows.chunks(batch)
        .enumerate()
        .map(|(i, chunk)| WriteBatch {
            insights: chunk.to_vec(),
            cursors: vec![CursorAdvance {
                account_id: "1000000000".into(),
                stream: "insights:ad".into(),
                cursor: format!("chunk-{i}"),
            }],
            ..WriteBatch::default()
        })
        .collect()
}

/// Commits every batch; prints wall-clock and CPU rates under `label`.
fn timed_commits(label: &str, wh: &Warehouse, db: Option<&str>, batches: &[WriteBatch]) {
    let rows: usize = batches.iter().map(|b| b.insights.len()).sum();
    let before = cpu_now(db);
    let started = Instant::now();
    for b in batches {
        let stats = wh.commit(b).expect("commit");
        assert_eq!(stats.insights as usize, b.insights.len());
    }
    let took = started.elapsed();
    println!("{label}: {}{}", rate(rows, took), cpu_line(rows, &before, &cpu_now(db)));
}

fn rate(rows: usize, took: Duration) -> String {
    let per_s = rows as f64 / took.as_secs_f64();
    format!("{rows} rows in {:>6.2} s = {:>9.0} rows/s", took.as_secs_f64(), per_s)
}

/// CPU seconds (user + system) used so far by this process and by the PostgreSQL processes
/// serving `db` (its backends plus the WAL writer, checkpointer and background writer). The
/// machine is shared, so wall-clock rates depend on the neighbours; CPU time does not.
struct Cpu {
    client: f64,
    server: f64,
}

fn proc_cpu(stat: &str) -> f64 {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn cpu_now(db: Option<&str>) -> Cpu {
    let client = std::fs::read_to_string("/proc/self/stat").map(|s| proc_cpu(&s)).unwrap_or(0.0);
    let mut server = 0.0;
    if let (Some(db), Ok(dir)) = (db, std::fs::read_dir("/proc")) {
        for entry in dir.flatten() {
            let path = entry.path();
            let Ok(cmd) = std::fs::read_to_string(path.join("cmdline")) else { continue };
            let ours = cmd.starts_with("postgres: ")
                && (cmd.contains(db)
                    || ["walwriter", "checkpointer", "background writer"].iter().any(|p| cmd.contains(p)));
            if ours && let Ok(stat) = std::fs::read_to_string(path.join("stat")) {
                server += proc_cpu(&stat);
            }
        }
    }
    Cpu { client, server }
}

fn cpu_line(rows: usize, before: &Cpu, after: &Cpu) -> String {
    let (c, s) = (after.client - before.client, after.server - before.server);
    let total = c + s;
    if total <= 0.0 {
        return String::new();
    }
    format!("  [cpu: client {c:.2} s + server {s:.2} s = {:.0} rows per cpu-second]", rows as f64 / total)
}

fn bench(label: &str, db: &TestDb, first: &[InsightRow], again: &[InsightRow], batch: usize) -> Warehouse {
    let wh = db.migrated();
    let name = pg_name(db);
    timed_commits(&format!("{label:<9} first insert "), &wh, name.as_deref(), &batches(first, batch));
    timed_commits(&format!("{label:<9} re-upsert    "), &wh, name.as_deref(), &batches(again, batch));
    let stored = wh.snapshot().expect("snapshot").insights.len();
    assert_eq!(stored, first.len(), "every row stored once");
    wh
}

/// The database name of a PostgreSQL test database.
fn pg_name(db: &TestDb) -> Option<String> {
    let url = db.url();
    url.starts_with("postgres")
        .then(|| url.rsplit('/').next().unwrap_or("").split('?').next().unwrap_or("").to_string())
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this with a tiny dataset.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n = if quick { 2_000 } else { env_usize("BENCH_ROWS", 1_000_000) };
    let batch = env_usize("BENCH_BATCH", 100_000).max(1);
    let t0 = DateTime::parse_from_rfc3339("2026-09-03T10:00:00Z").unwrap().to_utc();
    let first = dataset(n, t0);
    let again = dataset(n, t0 + chrono::Duration::hours(1));
    let ads = n.div_ceil(DAYS);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "machine: {cores} cores, load average {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    println!(
        "dataset: {n} ad-level insights rows ({ads} ads x {DAYS} days, {ACCOUNTS} accounts), \
         {batch} rows per commit (one transaction each, with a cursor advance)"
    );

    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "postgres,sqlite".into());
    if backends.contains("postgres") {
        let pg = TestDb::postgres();
        let wh = bench("postgres", &pg, &first, &again, batch);
        let name = pg_name(&pg);
        let before = cpu_now(name.as_deref());
        let started = Instant::now();
        let copied = copy_insights_to_scratch(&wh, &first).expect("copy");
        let took = started.elapsed();
        let after = cpu_now(name.as_deref());
        println!(
            "{:<9} plain COPY   : {}{}  (baseline: same rows, scratch table without keys)",
            "postgres",
            rate(copied, took),
            cpu_line(copied, &before, &after)
        );
    }
    if backends.contains("sqlite") {
        let lite = TestDb::sqlite();
        bench("sqlite", &lite, &first, &again, batch);
    }
}
