//! The planner as plain data: decisions and histories in, steps out, no HTTP, no clock.

use super::*;
use crate::graph::error::WireError;

fn policy(first: Duration, base: Duration, cap: Duration) -> RetryPolicy {
    RetryPolicy {
        transient: BackoffPolicy::new(first, cap, Some(1)),
        throttle: BackoffPolicy::new(base, cap, Some(2)),
        codes: Policy {
            throttle_backoff: Duration::from_secs(3600),
            policy_block_backoff: Duration::from_secs(3600),
        },
        max_attempts: 3,
    }
}

fn failed<'a>(fault: &'a Fault) -> Failed<'a> {
    Failed {
        path: "act_1/campaigns",
        account: Some("act_1"),
        fault,
        what: "what",
        message: None,
        limit: Some(100),
        base_url: "http://127.0.0.1:9/v25.0",
    }
}

#[test]
fn null_items_go_again_at_once_then_count_as_transient() {
    let p = policy(Duration::from_secs(1), Duration::from_secs(60), Duration::from_secs(900));
    let mut att = Attempts::new(&p, Context::default());
    let fault = Fault::NullItem;
    for _ in 0..3 {
        assert_eq!(next_step(Decision::ResendNow, &mut att, &failed(&fault), 3), Step::ResendNow);
    }
    // Still null after as many re-sends as retries are allowed: the transient schedule takes over.
    match next_step(Decision::ResendNow, &mut att, &failed(&fault), 3) {
        Step::Retry { after, retry: 1 } => assert!(after <= Duration::from_secs(1), "{after:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn transient_waits_start_near_a_second_and_grow_to_the_cap() {
    // Production settings: backoff_seconds 60 is the throttle schedule, not the first retry.
    let p = policy(Duration::from_secs(1), Duration::from_secs(60), Duration::from_secs(900));
    let mut att = Attempts::new(&p, Context::default());
    let fault = Fault::Timeout;
    let mut waits = Vec::new();
    for n in 1..=3 {
        match next_step(Decision::Retry, &mut att, &failed(&fault), 3) {
            Step::Retry { after, retry } => {
                assert_eq!(retry, n);
                waits.push(after.as_secs_f64());
            }
            other => panic!("{other:?}"),
        }
    }
    let bounds = [(0.5, 1.0), (1.0, 2.0), (2.0, 4.0)];
    for (w, (lo, hi)) in waits.iter().zip(bounds) {
        assert!(*w >= lo && *w <= hi, "{waits:?}");
    }
    att.sent = 4;
    assert!(matches!(
        next_step(Decision::Retry, &mut att, &failed(&fault), 3),
        Step::Fail(GraphError::RetriesExhausted { attempts: 4, .. })
    ));
    // A cap below a second caps the first wait too.
    let p = policy(Duration::from_millis(100), Duration::from_secs(60), Duration::from_millis(100));
    assert!(p.transient.steps().take(5).all(|w| w <= Duration::from_millis(100)));
}

#[test]
fn throttles_without_estimate_use_the_throttle_schedule() {
    let p = policy(Duration::from_secs(1), Duration::from_secs(60), Duration::from_secs(900));
    let mut att = Attempts::new(&p, Context::default());
    let error = WireError { code: 80004, ..WireError::default() };
    let fault = Fault::Api { status: 400, error: Box::new(error) };
    let app = Decision::Throttle { scope: Scope::App, wait: Wait::Backoff };
    match next_step(app, &mut att, &failed(&fault), 3) {
        Step::Block { account: None, wait, code: 80004 } => {
            assert!(wait >= Duration::from_secs(30) && wait <= Duration::from_secs(60), "{wait:?}")
        }
        other => panic!("{other:?}"),
    }
    let acct = Decision::Throttle { scope: Scope::Account, wait: Wait::For(Duration::from_secs(5)) };
    assert_eq!(
        next_step(acct, &mut att, &failed(&fault), 3),
        Step::Block { account: Some("act_1".into()), wait: Duration::from_secs(5), code: 80004 }
    );
}

#[test]
fn wrong_base_urls_name_the_url_and_the_cause() {
    let p = policy(Duration::from_secs(1), Duration::from_secs(60), Duration::from_secs(900));
    let mut att = Attempts::new(&p, Context::default());
    let cases = [
        (Fault::Connect("tcp connect error: Connection refused (os error 111)".into()), "connection refused"),
        (Fault::Connect("dns error: failed to lookup address information".into()), "does not resolve"),
        (Fault::Connect("invalid peer certificate: UnknownIssuer".into()), "TLS handshake failed"),
        (
            Fault::Unreadable { status: 404, detail: "HTML".into(), cut_off: false },
            "HTTP 404 without a Graph error",
        ),
    ];
    for (fault, cause) in cases {
        match next_step(Decision::WrongBaseUrl, &mut att, &failed(&fault), 3) {
            Step::Fail(e @ GraphError::BadBaseUrl { .. }) => {
                let line = e.to_string();
                assert!(line.contains("http://127.0.0.1:9/v25.0") && line.contains(cause), "{line}");
                assert!(line.contains("check meta.base_url") && !line.contains('\n'), "{line}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn too_large_bodies_and_page_shrinks() {
    let p = policy(Duration::from_secs(1), Duration::from_secs(60), Duration::from_secs(900));
    let mut att = Attempts::new(&p, Context::default());
    let fault = Fault::TooLarge { limit: 1024 };
    match next_step(Decision::Fail, &mut att, &failed(&fault), 3) {
        Step::Fail(GraphError::Protocol { detail, .. }) => {
            assert!(detail.contains("1024-byte cap"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    let fault = Fault::Timeout;
    assert_eq!(
        next_step(Decision::Shrink(Axis::Page), &mut att, &failed(&fault), 3),
        Step::Shrink { from: 100, to: 50 }
    );
}
