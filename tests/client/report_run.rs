//! Async report runs: create, poll until `Job Completed`, page the results; failures with the
//! v25 error fields; transient failures re-created; "too much data" handed to the caller.

use crate::support::client::*;
use futures_util::TryStreamExt;
use meta_ads_sync::graph::{GraphError, GraphRequest};
use meta_ads_sync::sim::{Fault, FaultRule, SimConfig, SimLimits};
use serde_json::Value;

fn params() -> Vec<(String, String)> {
    [
        ("level", "ad"),
        ("fields", "ad_id,impressions,spend"),
        ("time_range", r#"{"since":"2026-08-20","until":"2026-09-02"}"#),
        ("time_increment", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn keyed(rows: &[Value]) -> Vec<String> {
    let mut k: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {} {} {}", r["ad_id"], r["date_start"], r["impressions"], r["spend"]))
        .collect();
    k.sort();
    k
}

#[tokio::test]
async fn report_run_returns_the_rows_of_the_sync_query() {
    let env = start(SimConfig { async_polls_to_complete: 3, ..world(11, 8) }).await;
    let act = env.account(0);
    let mut cfg = fast();
    cfg.page_size = 50;
    let client = env.client(cfg);
    let mut sync = GraphRequest::get(format!("{act}/insights")).account(act.clone()).insights();
    sync.params = params();
    let expected: Vec<Value> = client.pages(sync).try_collect::<Vec<_>>().await.unwrap().concat();
    assert!(expected.len() > 50, "several result pages");
    env.reset();
    let rows = client.report_run(&act, params()).await.unwrap();
    assert_eq!(keyed(&rows), keyed(&expected));
    let stats = env.sim.stats();
    assert_eq!(stats.async_jobs, 1);
    assert_eq!(calls(&stats, "POST", &format!("{act}/insights")).len(), 1);
    let run_polls =
        stats.log.iter().filter(|r| r.endpoint.contains("report_run") && !r.path.ends_with("/insights"));
    assert!(run_polls.count() >= 3, "polled until completed");
    let pages = stats.log.iter().filter(|r| r.path.ends_with("/insights") && r.method == "GET").count();
    assert_eq!(pages, expected.len().div_ceil(50));
    env.stop().await;
}

#[tokio::test]
async fn transient_job_failure_is_created_again() {
    let env = start(world(11, 8)).await;
    let act = env.account(1);
    let client = env.client(fast());
    // Default JobFailed: -2 / 2490547 "Try again later".
    env.sim.inject(
        FaultRule::new(Fault::JobFailed { code: None, subcode: None })
            .on_method("POST")
            .on_path("insights")
            .first(1),
    );
    let rows = client.report_run(&act, params()).await.unwrap();
    assert!(!rows.is_empty());
    let stats = env.sim.stats();
    assert_eq!(stats.async_jobs, 2);
    assert_eq!(calls(&stats, "POST", &format!("{act}/insights")).len(), 2);
    env.stop().await;
}

#[tokio::test]
async fn failed_and_skipped_jobs_report_the_v25_error_fields() {
    let env = start(world(11, 8)).await;
    let act = env.account(2);
    let client = env.client(fast());
    env.sim.inject(
        FaultRule::new(Fault::JobFailed { code: Some(2), subcode: Some(1504041) }).on_method("POST").first(1),
    );
    let err = client.report_run(&act, params()).await.unwrap_err();
    match &err {
        GraphError::ReportRunFailed(f) => {
            assert_eq!(
                (f.status.as_str(), f.error_code, f.error_subcode),
                ("Job Failed", Some(2), Some(1504041))
            );
            assert!(f.error_message.is_some());
        }
        other => panic!("expected ReportRunFailed, got {other:?}"),
    }
    env.reset();
    env.sim.inject(FaultRule::new(Fault::JobSkipped).on_method("POST").first(1));
    let err = client.report_run(&act, params()).await.unwrap_err();
    assert!(matches!(&err, GraphError::ReportRunFailed(f) if f.status == "Job Skipped"), "{err:?}");
    assert_eq!(env.sim.stats().async_jobs, 1, "a skipped job is not created again");
    env.stop().await;
}

#[tokio::test]
async fn job_failing_for_too_much_data_asks_the_caller_to_split() {
    let limits = SimLimits { max_async_query_cells: 10, ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(11, 8) }).await;
    let act = env.account(0);
    let client = env.client(fast());
    let err = client.report_run(&act, params()).await.unwrap_err();
    assert!(matches!(err, GraphError::TooMuchData { .. }), "{err:?}");
    assert_eq!(env.sim.stats().async_jobs, 1);
    env.stop().await;
}

#[tokio::test]
async fn unsupported_get_right_after_creation_is_retried() {
    let env = start(world(11, 8)).await;
    let act = env.account(0);
    let client = env.client(fast());
    // The documented race: the first poll of a fresh run answers 100/33.
    let error = Fault::Error { code: 100, subcode: Some(33), http_status: None, message: None };
    env.sim.inject(FaultRule::new(error).on_method("GET").on_path("report_run").first(1));
    let rows = client.report_run(&act, params()).await.unwrap();
    assert!(!rows.is_empty());
    assert!(client.skipped().is_empty(), "not recorded as a skip");
    assert_eq!(env.sim.stats().errors_by_code.get("100/33"), Some(&1));
    env.stop().await;
}
