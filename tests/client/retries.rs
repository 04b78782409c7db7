//! Retry counts: a transient failure retried 3 times makes 4 requests; a non-retryable one makes 1.

use crate::support::client::*;
use meta_ads_sync::config::MetaConfig;
use meta_ads_sync::graph::{GraphError, GraphRequest};
use meta_ads_sync::sim::{Fault, FaultRule};

fn transient_faults() -> Vec<(&'static str, Fault)> {
    let error = |code| Fault::Error { code, subcode: None, http_status: None, message: None };
    vec![
        ("code 1 (HTTP 500)", error(1)),
        ("code 2 is_transient", error(2)),
        ("HTML 500", Fault::Html500),
        ("malformed JSON", Fault::Malformed),
        ("truncated JSON", Fault::Truncated),
        ("connection reset", Fault::Reset),
        ("hang past the attempt timeout", Fault::Hang),
    ]
}

#[tokio::test]
async fn transient_failure_retried_three_times_makes_four_requests() {
    let env = start(world(11, 8)).await;
    let act = env.account(0);
    let mut cfg = fast();
    cfg.timeouts.attempt_seconds = 0.3; // for the hanging responses
    for (name, fault) in transient_faults() {
        env.reset();
        let client = env.client(cfg.clone());
        env.sim.inject(FaultRule::new(fault).on_path(&act).first(3));
        let req = GraphRequest::get(act.clone()).param("fields", "id,name").account(act.clone());
        let body = client.call(&req).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(body["id"], act.as_str(), "{name}");
        let stats = env.sim.stats();
        assert_eq!(calls(&stats, "GET", &act).len(), 4, "{name}: 3 failures + 1 success");
        assert_eq!(client.stats().retries, 3, "{name}");
    }
    env.stop().await;
}

#[tokio::test]
async fn persistent_transient_failure_gives_up_after_four_requests() {
    let env = start(world(11, 8)).await;
    let act = env.account(1);
    let client = env.client(fast());
    env.sim.inject(FaultRule::error(2).on_path(&act));
    let err = client.call(&GraphRequest::get(act.clone()).account(act.clone())).await.unwrap_err();
    assert!(matches!(err, GraphError::RetriesExhausted { attempts: 4, .. }), "{err:?}");
    assert_eq!(calls(&env.sim.stats(), "GET", &act).len(), 4);
    env.stop().await;
}

#[tokio::test]
async fn non_retryable_errors_make_one_request() {
    let env = start(world(11, 8)).await;
    let act = env.account(2);
    let mut cfg = fast();
    // Long waits that do not fit the operation deadline: the client must report, not wait.
    cfg.retry.throttle_backoff_seconds = 3600.0;
    cfg.retry.policy_block_backoff_seconds = 3600.0;
    cfg.timeouts.operation_seconds = 30.0;
    let error = |code, message: Option<&str>| Fault::Error {
        code,
        subcode: None,
        http_status: None,
        message: message.map(str::to_string),
    };
    type Expect = fn(&GraphError) -> bool;
    let cases: Vec<(Fault, Expect)> = vec![
        (error(100, None), |e| matches!(e, GraphError::Skipped { code: 100, fbtrace_id: Some(_), .. })),
        (
            error(200, Some("(#200) Requires ads_read permission to access this object")),
            |e| matches!(e, GraphError::NeedsReauth { reason, .. } if reason.contains("missing permission ads_read")),
        ),
        (error(10, None), |e| matches!(e, GraphError::NeedsReauth { .. })),
        (
            error(190, None),
            |e| matches!(e, GraphError::NeedsReauth { reason, .. } if reason.contains("no refresh")),
        ),
        (error(506, None), |e| matches!(e, GraphError::Api { code: 506, .. })),
        (error(613, None), |e| matches!(e, GraphError::Throttled { code: 613, account: Some(_), .. })),
        (error(368, None), |e| matches!(e, GraphError::Throttled { code: 368, account: None, .. })),
        (Fault::TooMuchData, |e| matches!(e, GraphError::TooMuchData { .. })),
    ];
    for (fault, expected) in cases {
        env.reset();
        let client = env.client(cfg.clone());
        env.sim.inject(FaultRule::new(fault.clone()).on_path(&act).first(1));
        let err = client.call(&GraphRequest::get(act.clone()).account(act.clone())).await.unwrap_err();
        assert!(expected(&err), "{fault:?} gave {err:?}");
        assert_eq!(calls(&env.sim.stats(), "GET", &act).len(), 1, "{fault:?}: exactly one request");
    }
    env.stop().await;
}

#[tokio::test]
async fn code_100_is_recorded_with_its_trace_id() {
    let env = start(world(11, 8)).await;
    let act = env.account(0);
    let client = env.client(fast());
    env.sim.inject(FaultRule::error(100).on_path(&act).first(1));
    let req = GraphRequest::get(format!("{act}/campaigns")).account(act.clone());
    let err = client.call(&req).await.unwrap_err();
    let skipped = client.skipped();
    assert_eq!(skipped.len(), 1);
    let s = &skipped[0];
    assert_eq!(
        (s.code, s.path.as_str(), s.account_id.as_deref()),
        (100, req.path.as_str(), Some(act.as_str()))
    );
    let trace = s.fbtrace_id.clone().expect("fbtrace_id kept");
    assert!(err.to_string().contains(&trace), "{err}");
    env.stop().await;
}

#[tokio::test]
async fn transient_retries_start_near_a_second_and_double() {
    let env = start(world(11, 8)).await;
    let act = env.account(0);
    // Production retry settings: backoff_seconds 60 is the throttle base, not the first retry.
    let mut cfg = MetaConfig::default();
    cfg.timeouts.operation_seconds = 20.0;
    let client = env.client(cfg);
    env.sim.inject(FaultRule::error(2).on_path(&act).first(2));
    let req = GraphRequest::get(act.clone()).param("fields", "id").account(act.clone());
    client.call(&req).await.unwrap();
    let waited = client.stats().waited.as_secs_f64();
    // [0.5, 1) then [1, 2): jittered, doubling.
    assert!((1.5..3.0).contains(&waited), "waited {waited}s");
    let stats = env.sim.stats();
    let log = calls(&stats, "GET", &act);
    assert_eq!(log.len(), 3);
    assert!(log[1].at_ms >= log[0].at_ms + 500, "{} → {}", log[0].at_ms, log[1].at_ms);
    assert!(log[2].at_ms >= log[1].at_ms + 1000, "{} → {}", log[1].at_ms, log[2].at_ms);
    env.stop().await;
}
