//! The engine driven through the in-process fake Graph API (no HTTP) into a real SQLite file:
//! branches HTTP fault injection cannot easily reach. Each test checks the warehouse (rows,
//! cursor rows, the run row), the requests the fake saw and the report.

use chrono::NaiveDate;
use meta_ads_sync::config::Config;
use meta_ads_sync::graph::{GraphError, ReportRunFailure};
use meta_ads_sync::ids::AccountId;
use meta_ads_sync::sync::engine::{SyncOptions, run_sync};
use meta_ads_sync::sync::report::{AccountOutcome, RunReport};
use meta_ads_sync::warehouse::testing::TestDb;
use meta_ads_sync::warehouse::{CursorAdvance, CursorState, Warehouse, WriteBatch};
use serde_json::json;
use std::time::Duration;

use crate::support::fake_graph::{FakeGraph, page, time_range};
use crate::support::sync::exit_code;

const STREAMS: [&str; 5] = ["campaigns", "ad_sets", "ads", "ad_creatives", "insights_account"];

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn config(db: &TestDb) -> Config {
    let mut cfg = Config::default();
    cfg.warehouse.url = db.url().to_string();
    cfg.sync.levels = vec![meta_ads_sync::model::InsightLevel::Account];
    cfg
}

/// Insights of 2026-06-01..04 (fixed days, whatever today is), time on the fake's clock.
fn options(fake: &FakeGraph) -> SyncOptions {
    SyncOptions {
        worker_id: "fake-worker".into(),
        since: Some(d("2026-06-01")),
        until: Some(d("2026-06-04")),
        clock: fake.clock(),
        ..SyncOptions::default()
    }
}

async fn pass(cfg: &Config, fake: &FakeGraph, wh: &Warehouse, opts: &SyncOptions) -> RunReport {
    run_sync(cfg, fake, wh, opts).await.expect("the pass itself does not fail")
}

fn cursor(wh: &Warehouse, account: &str, stream: &str) -> CursorState {
    wh.cursor(account, stream).unwrap().unwrap_or_else(|| panic!("no cursor row {account}/{stream}"))
}

fn outcome(report: &RunReport, account: &str) -> AccountOutcome {
    report.accounts[&AccountId::parse(account).unwrap()].clone()
}

fn failed_with(report: &RunReport, account: &str) -> String {
    match outcome(report, account) {
        AccountOutcome::Failed(m) => m,
        other => panic!("account {account}: {other:?}, expected a failure"),
    }
}

/// Every stream of `account` but `except` finished: a cursor, no failure.
fn streams_done(wh: &Warehouse, account: &str, except: &[&str]) {
    for stream in STREAMS.iter().filter(|s| !except.contains(s)) {
        let c = cursor(wh, account, stream);
        assert!(c.cursor.is_some() && c.fail_count == 0, "{account}/{stream}: {c:?}");
    }
}

/// A stream that failed: no cursor, one failure recorded whose message contains `why`.
fn stream_failed(wh: &Warehouse, account: &str, stream: &str, why: &str) {
    let c = cursor(wh, account, stream);
    assert_eq!((c.cursor.as_deref(), c.fail_count), (None, 1), "{account}/{stream}: {c:?}");
    let error = c.last_error.unwrap_or_default();
    assert!(error.contains(why), "{account}/{stream}: {error:?} does not say {why:?}");
}

fn too_much_data(path: &str) -> GraphError {
    GraphError::TooMuchData { account: None, path: path.to_string() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_still_too_much_goes_through_a_report_run_and_a_failed_run_fails_that_account() {
    let fake = FakeGraph::builder(&["1", "2"])
        .answer(|req| req.path.ends_with("/insights").then(|| Err(too_much_data(&req.path))))
        .report_runs(|account, _| {
            (account.as_str() == "2").then(|| {
                Err(GraphError::ReportRunFailed(Box::new(ReportRunFailure {
                    report_run_id: "777".into(),
                    status: "Job Failed".into(),
                    error_code: Some(2),
                    error_subcode: None,
                    error_message: Some("internal error".into()),
                    error_user_title: None,
                    error_user_msg: None,
                })))
            })
        })
        .build();
    let db = TestDb::sqlite();
    let wh = db.migrated();
    let report = pass(&config(&db), &fake, &wh, &options(&fake)).await;

    // The 4-day chunk was split down to single days, each asked synchronously first.
    let single_days: Vec<_> = fake
        .requests_to("act_1/insights")
        .iter()
        .map(|r| time_range(&r.params))
        .filter(|(a, b)| a == b)
        .collect();
    assert_eq!(single_days.len(), 4, "{single_days:?}");
    // Account 1: every day through its own report run, rows stored, cursor at the last day.
    let runs = fake.report_runs();
    let days_of = |id: &str| -> Vec<(NaiveDate, NaiveDate)> {
        runs.iter().filter(|(a, _)| a.as_str() == id).map(|(_, p)| time_range(p)).collect()
    };
    let mut days = days_of("1");
    days.sort();
    let want: Vec<_> = ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"].map(|s| (d(s), d(s))).into();
    assert_eq!(days, want);
    assert_eq!(outcome(&report, "1"), AccountOutcome::Succeeded);
    let rows = wh.snapshot().unwrap().insights;
    assert_eq!(rows.iter().filter(|r| r.account_id == "1").count(), 4);
    assert_eq!(cursor(&wh, "1", "insights_account").cursor.as_deref(), Some("2026-06-04"));
    streams_done(&wh, "1", &[]);

    // Account 2: its first report run failed, which ends its run (no second one); the other
    // account is untouched, its entities had committed already.
    assert_eq!(days_of("2").len(), 1);
    let m = failed_with(&report, "2");
    assert!(m.starts_with("insights_account: report run 777 ended Job Failed"), "{m}");
    stream_failed(&wh, "2", "insights_account", "Job Failed");
    streams_done(&wh, "2", &["insights_account"]);
    assert!(!rows.iter().any(|r| r.account_id == "2"));
    assert_eq!(exit_code(&report), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_cycle_stops_that_listing_only() {
    let fake = FakeGraph::builder(&["1", "2"])
        .answer(|req| {
            (req.path == "act_1/campaigns").then(|| {
                let next = match req.get_param("after") {
                    None => "A",
                    Some("A") => "B",
                    Some("B") => "C",
                    Some(_) => "A",
                };
                Ok(page(&req.path, json!([]), Some(next)))
            })
        })
        .build();
    let db = TestDb::sqlite();
    let wh = db.migrated();
    let report = pass(&config(&db), &fake, &wh, &options(&fake)).await;

    let afters: Vec<_> = fake
        .requests_to("act_1/campaigns")
        .iter()
        .map(|r| r.get_param("after").map(str::to_string))
        .collect();
    assert_eq!(afters, [None, Some("A".into()), Some("B".into()), Some("C".into())], "A→B→C→A, then no more");
    let m = failed_with(&report, "1");
    assert_eq!(
        m,
        "campaigns: listing act_1/campaigns stopped: paging cursor \"A\" came back after 4 pages (the listing loops)"
    );
    stream_failed(&wh, "1", "campaigns", "came back after 4 pages");
    streams_done(&wh, "1", &["campaigns"]);
    assert_eq!(outcome(&report, "2"), AccountOutcome::Succeeded);
    streams_done(&wh, "2", &[]);
    assert_eq!(exit_code(&report), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_listing_stops_at_the_page_cap() {
    let fake = FakeGraph::builder(&["1", "2"])
        .answer(|req| {
            (req.path == "act_2/ads").then(|| {
                let n: u64 = req.get_param("after").map_or(0, |a| a.trim_start_matches('p').parse().unwrap());
                let ad = json!([{"id": format!("2{n:04}"), "adset_id": "2011", "campaign_id": "201",
                    "name": "a", "effective_status": "ACTIVE", "updated_time": "2026-06-01T00:00:00+0000"}]);
                Ok(page(&req.path, ad, Some(&format!("p{}", n + 1))))
            })
        })
        .build();
    let db = TestDb::sqlite();
    let wh = db.migrated();
    let opts = SyncOptions { max_pages_per_listing: 5, ..options(&fake) };
    let report = pass(&config(&db), &fake, &wh, &opts).await;

    assert_eq!(fake.requests_to("act_2/ads").len(), 5);
    let m = failed_with(&report, "2");
    assert!(m.starts_with("ads: listing act_2/ads stopped: still more pages after 5 pages"), "{m}");
    stream_failed(&wh, "2", "ads", "sync.max_pages_per_listing");
    streams_done(&wh, "2", &["ads"]);
    assert_eq!(outcome(&report, "1"), AccountOutcome::Succeeded);
    streams_done(&wh, "1", &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pass_deadline_stops_unfinished_listings_and_keeps_finished_ones() {
    // Every page of act_1/adsets takes 25 s and the listing never ends; the pass may fetch 60 s.
    let fake = FakeGraph::builder(&["1", "2"])
        .slow("act_1/adsets", Duration::from_secs(25))
        .answer(|req| {
            (req.path == "act_1/adsets").then(|| {
                let n = req.get_param("after").map_or(0, |a| a.len());
                Ok(page(&req.path, json!([]), Some(&"x".repeat(n + 1))))
            })
        })
        .build();
    let db = TestDb::sqlite();
    let wh = db.migrated();
    let opts = SyncOptions { pass_deadline: Some(Duration::from_secs(60)), ..options(&fake) };
    let report = pass(&config(&db), &fake, &wh, &opts).await;

    assert_eq!(fake.requests_to("act_1/adsets").len(), 3, "pages at 0 s, 25 s and 50 s; none at 75 s");
    assert!(!fake.requests().iter().any(|r| r.path.ends_with("/insights")), "no query after the deadline");
    stream_failed(
        &wh,
        "1",
        "ad_sets",
        "listing act_1/adsets stopped: the pass deadline passed after 3 pages",
    );
    for account in ["1", "2"] {
        stream_failed(&wh, account, "insights_account", "the pass deadline passed");
        assert!(matches!(outcome(&report, account), AccountOutcome::Failed(_)));
    }
    // The listings that finished in time keep their cursors.
    streams_done(&wh, "1", &["ad_sets", "insights_account"]);
    streams_done(&wh, "2", &["insights_account"]);
    assert_eq!(exit_code(&report), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_cursor_that_does_not_parse_fails_its_stream_instead_of_reloading() {
    let fake = FakeGraph::builder(&["1", "2"]).build();
    let db = TestDb::sqlite();
    let wh = db.migrated();
    let bad = |account: &str, stream: &str, cursor: &str| CursorAdvance {
        account_id: account.into(),
        stream: stream.into(),
        cursor: cursor.into(),
    };
    let cursors = vec![bad("1", "campaigns", "yesterday"), bad("2", "insights_account", "2026-02-30")];
    wh.commit(&WriteBatch { cursors, ..WriteBatch::default() }).unwrap();
    let report = pass(&config(&db), &fake, &wh, &options(&fake)).await;

    assert!(fake.requests_to("act_1/campaigns").is_empty(), "no full reload of act_1/campaigns");
    assert!(fake.requests_to("act_2/insights").is_empty(), "no reload of act_2's insights");
    let m = failed_with(&report, "1");
    assert!(m.contains("\"yesterday\" of account 1, stream campaigns is not a Unix time"), "{m}");
    let m = failed_with(&report, "2");
    assert!(m.contains("\"2026-02-30\" of account 2, stream insights_account is not a date"), "{m}");
    for (account, stream, value) in [("1", "campaigns", "yesterday"), ("2", "insights_account", "2026-02-30")]
    {
        let c = cursor(&wh, account, stream);
        assert_eq!((c.cursor.as_deref(), c.fail_count), (Some(value), 1), "kept as it was: {c:?}");
    }
    streams_done(&wh, "1", &["campaigns"]);
    streams_done(&wh, "2", &["insights_account"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_failure_mid_commit_stops_the_pass_and_leaves_cursors_as_they_were() {
    let db = TestDb::sqlite();
    let wh = db.migrated().with_chunk_rows(2);
    let clean = FakeGraph::builder(&["1", "2"]).build();
    let cfg = config(&db);
    assert_eq!(exit_code(&pass(&cfg, &clean, &wh, &options(&clean)).await), 0);
    let rows_before = wh.snapshot().unwrap().insights;
    assert_eq!(rows_before.len(), 8);

    // The next pass reads four more days; act_2's last row is one the warehouse refuses
    // (CHECK impressions >= 0), in the last 2-row chunk of the round's one transaction.
    let bad = FakeGraph::builder(&["1", "2"])
        .answer(|req| {
            (req.path == "act_2/insights").then(|| {
                let id = AccountId::parse("2").unwrap();
                let mut rows = crate::support::fake_graph::insight_rows(&id, &req.params);
                if let Some(last) = rows.last_mut() {
                    last["impressions"] = json!("-1");
                }
                Ok(json!({ "data": rows }))
            })
        })
        .build();
    let opts = SyncOptions { until: Some(d("2026-06-08")), ..options(&bad) };
    let err = run_sync(&cfg, &bad, &wh, &opts).await.expect_err("the warehouse failing stops the pass");
    let err = format!("{err:#}");
    assert!(err.contains("warehouse commit") && err.contains("impressions"), "{err}");

    for account in ["1", "2"] {
        assert_eq!(cursor(&wh, account, "insights_account").cursor.as_deref(), Some("2026-06-04"));
    }
    assert_eq!(wh.snapshot().unwrap().insights, rows_before, "nothing of the failed round is stored");
    let run = wh.recent_runs(1).unwrap().remove(0);
    assert_eq!(run.status.as_str(), "failed");
    assert!(run.error.as_deref().unwrap_or_default().contains("impressions"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_account_listing_fails_the_discovery_and_the_run() {
    let fake = FakeGraph::builder(&["1"])
        .answer(|req| {
            (req.path == "me/adaccounts").then(|| {
                let n = req.get_param("after").map_or(0, |a| a.len());
                Ok(page(&req.path, json!([]), Some(&"x".repeat(n + 1))))
            })
        })
        .build();
    let db = TestDb::sqlite();
    let wh = db.migrated();
    let opts = SyncOptions { max_pages_per_listing: 3, ..options(&fake) };
    let report = pass(&config(&db), &fake, &wh, &opts).await;

    assert_eq!(fake.requests_to("me/adaccounts").len(), 3);
    assert_eq!(fake.requests().len(), 3, "nothing else is asked without accounts");
    let Some(AccountOutcome::Failed(m)) = &report.discovery else { panic!("{report:?}") };
    assert!(m.starts_with("listing me/adaccounts stopped: still more pages after 3 pages"), "{m}");
    assert!(report.accounts.is_empty());
    assert_eq!(exit_code(&report), 1);
    let run = wh.recent_runs(1).unwrap().remove(0);
    assert_eq!(run.status.as_str(), "failed");
    assert!(
        run.error.as_deref().unwrap_or_default().starts_with("ad account discovery: listing me/adaccounts"),
        "{run:?}"
    );
}
