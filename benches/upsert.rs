//! Insights upsert throughput on PostgreSQL and SQLite: first insert and re-upsert of the same
//! rows (every row conflicts and is updated), next to a plain PostgreSQL `COPY` of the same
//! rows into a table without keys. Run with `cargo bench --bench upsert` (release build).
//!
//! Env: `BENCH_ROWS` (default 1,000,000), `BENCH_BATCH` rows per commit (default 100,000),
//! `TEST_DATABASE_URL` admin URL for the scratch PostgreSQL database.

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
                ])),
                action_values: Some(json!([{"action_type": "omni_purchase", "value": format!("{}.{:02}", purchases * 49, purchases * 99 % 100)}])),
                purchase_roas: Some(json!([{"action_type": "omni_purchase", "value": "1.234567"}])),
                synced_at,
            }
        })
        .collect()
}

/// Commits `rows` in batches of `batch` rows, each with a cursor advance (batches are built
/// before the clock starts); returns the time.
fn timed_upsert(wh: &Warehouse, rows: &[InsightRow], batch: usize) -> Duration {
    let batches: Vec<WriteBatch> = rows
        .chunks(batch)
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
        .collect();
    let started = Instant::now();
    for b in &batches {
        let stats = wh.commit(b).expect("commit");
        assert_eq!(stats.insights as usize, b.insights.len());
    }
    started.elapsed()
}

fn rate(rows: usize, took: Duration) -> String {
    let per_s = rows as f64 / took.as_secs_f64();
    format!("{rows} rows in {:>6.2} s = {:>9.0} rows/s", took.as_secs_f64(), per_s)
}

fn bench(label: &str, db: &TestDb, first: &[InsightRow], again: &[InsightRow], batch: usize) -> Warehouse {
    let wh = db.migrated();
    let took = timed_upsert(&wh, first, batch);
    println!("{label:<9} first insert : {}", rate(first.len(), took));
    let took = timed_upsert(&wh, again, batch);
    println!("{label:<9} re-upsert    : {}", rate(again.len(), took));
    let stored = wh.snapshot().expect("snapshot").insights.len();
    assert_eq!(stored, first.len(), "every row stored once");
    wh
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
    println!(
        "dataset: {n} ad-level insights rows ({ads} ads x {DAYS} days, {ACCOUNTS} accounts), \
         {batch} rows per commit (one transaction each, with a cursor advance)"
    );

    let pg = TestDb::postgres();
    let wh = bench("postgres", &pg, &first, &again, batch);
    let started = Instant::now();
    let copied = copy_insights_to_scratch(&wh, &first).expect("copy");
    println!(
        "{:<9} plain COPY   : {}  (baseline: scratch table, no keys)",
        "postgres",
        rate(copied, started.elapsed())
    );
    drop(wh);
    drop(pg);

    let lite = TestDb::sqlite();
    bench("sqlite", &lite, &first, &again, batch);
}
