//! Response bodies are read within a size cap and an idle timeout: an endless, huge, stalled or
//! trickling body is a clear error for that request, and the client holds at most the cap.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::support::client::*;
use crate::support::hostile::{Answer, Hostile};
use meta_ads_sync::graph::{GraphClient, GraphError, GraphOptions, GraphRequest, StaticToken};

const CAP: usize = 1 << 20;

fn client_at(base_url: &str, max_attempts: u32) -> GraphClient {
    let mut cfg = fast();
    cfg.base_url = base_url.to_string();
    cfg.retry.max_attempts = max_attempts;
    cfg.timeouts.attempt_seconds = 3.0;
    let mut opts = GraphOptions::new(&cfg);
    opts.max_body_bytes = CAP;
    opts.body_idle_timeout = Duration::from_millis(300);
    GraphClient::with_options(&opts, Arc::new(StaticToken::new("EAAB-hostile-test-token".into()))).unwrap()
}

fn listing() -> GraphRequest {
    GraphRequest::get("act_1/campaigns").param("fields", "id,name").account("act_1")
}

#[tokio::test]
async fn endless_body_stops_at_the_cap() {
    let server = Hostile::start(Answer::Endless).await;
    let client = client_at(&server.base_url, 3);
    let err = client.call(&listing()).await.unwrap_err();
    assert!(
        matches!(&err, GraphError::Protocol { detail, .. } if detail.contains(&format!("{CAP}-byte cap"))),
        "{err:?}"
    );
    assert_eq!(server.requests.load(Ordering::SeqCst), 1, "the same body would come back: no retry");
    assert_eq!(client.stats().requests, 1);
    // What the server could push before the client hung up: the cap plus socket buffers.
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 64 * CAP as u64, "{written} bytes written");
    server.close().await;
}

#[tokio::test]
async fn declared_length_above_the_cap_is_refused_unread() {
    let server = Hostile::start(Answer::HugeDeclared).await;
    let client = client_at(&server.base_url, 3);
    let err = client.call(&listing()).await.unwrap_err();
    assert!(matches!(&err, GraphError::Protocol { detail, .. } if detail.contains("cap")), "{err:?}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    server.close().await;
}

#[tokio::test]
async fn stalled_body_ends_at_the_idle_timeout() {
    let server = Hostile::start(Answer::Stall).await;
    let client = client_at(&server.base_url, 1);
    let err = client.call(&listing()).await.unwrap_err();
    let line = err.to_string();
    assert!(matches!(err, GraphError::RetriesExhausted { attempts: 2, .. }), "{err:?}");
    assert!(line.contains("body stalled"), "{line}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 2, "a stall is transient: retried once");
    server.close().await;
}

#[tokio::test]
async fn trickling_body_ends_at_the_attempt_timeout() {
    let server = Hostile::start(Answer::Trickle).await;
    let mut cfg = fast();
    cfg.base_url = server.base_url.clone();
    cfg.retry.max_attempts = 0;
    cfg.timeouts.attempt_seconds = 0.5;
    let client =
        GraphClient::new(&cfg, Arc::new(StaticToken::new("EAAB-hostile-test-token".into()))).unwrap();
    let err = client.call(&listing()).await.unwrap_err();
    assert!(
        matches!(&err, GraphError::RetriesExhausted { attempts: 1, last, .. } if last.contains("timed out")),
        "{err:?}"
    );
    assert!(server.written.load(Ordering::SeqCst) > 0, "the body did trickle");
    server.close().await;
}

#[tokio::test]
async fn simulator_page_above_the_cap_fails_that_request_only() {
    let env = start(world(11, 8)).await;
    let act = env.account(0);
    let mut cfg = fast();
    cfg.base_url = env.server.base_url();
    let mut opts = GraphOptions::new(&cfg);
    opts.max_body_bytes = 256;
    let token = StaticToken::new(env.sim.system_user_token().into());
    let client = GraphClient::with_options(&opts, Arc::new(token)).unwrap();
    let page =
        GraphRequest::get(format!("{act}/campaigns")).param("fields", "id,name,status").account(act.clone());
    let err = client.call(&page).await.unwrap_err();
    assert!(
        matches!(&err, GraphError::Protocol { detail, .. } if detail.contains("256-byte cap")),
        "{err:?}"
    );
    assert_eq!(calls(&env.sim.stats(), "GET", &format!("{act}/campaigns")).len(), 1);
    // A small answer still goes through.
    let node = GraphRequest::get(act.clone()).param("fields", "id").account(act.clone());
    assert_eq!(client.call(&node).await.unwrap()["id"], act.as_str());
    env.stop().await;
}
