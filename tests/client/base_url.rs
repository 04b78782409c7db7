//! A plainly wrong `meta.base_url` fails at once with one line naming the URL and the fix — no
//! retries, no waits — whether nothing listens there, the name does not resolve, TLS meets a
//! plain-HTTP port, or a web server that is not the Graph API answers 404. Once the base URL has
//! answered, a refused connection is an outage and is retried as before.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::support::client::*;
use crate::support::hostile::{Answer, Hostile};
use meta_ads_sync::config::MetaConfig;
use meta_ads_sync::graph::{GraphClient, GraphError, GraphRequest, StaticToken};

/// Production retry settings (60 s throttle base, 3 retries): a wrong URL must not wait at all.
fn client_at(base_url: &str) -> GraphClient {
    let mut cfg = MetaConfig { base_url: base_url.to_string(), ..MetaConfig::default() };
    cfg.timeouts.attempt_seconds = 5.0;
    cfg.timeouts.operation_seconds = 600.0;
    GraphClient::new(&cfg, Arc::new(StaticToken::new("EAAB-wrong-url-token".into()))).unwrap()
}

async fn first_call(client: &GraphClient) -> GraphError {
    client.call(&GraphRequest::get("me/adaccounts").param("fields", "id")).await.unwrap_err()
}

/// The error is one line naming the URL, the cause and the setting to fix; one request, no wait.
fn assert_wrong_url(client: &GraphClient, err: &GraphError, url: &str, cause: &str) {
    let line = err.to_string();
    assert!(matches!(err, GraphError::BadBaseUrl { .. }), "{err:?}");
    assert!(line.contains(url), "names the URL: {line}");
    assert!(line.contains(cause), "names the cause ({cause}): {line}");
    assert!(line.contains("check meta.base_url"), "names the fix: {line}");
    assert!(!line.contains('\n') && !line.contains("EAAB"), "{line}");
    let stats = client.stats();
    assert_eq!((stats.requests, stats.retries), (1, 0), "{line}");
    assert_eq!(stats.waited, Duration::ZERO);
}

#[tokio::test]
async fn refused_port() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/v25.0");
    let client = client_at(&url);
    let err = first_call(&client).await;
    assert_wrong_url(&client, &err, &url, "connection refused");
}

#[tokio::test]
async fn unresolvable_host() {
    let url = "http://graph.meta-ads-sync.invalid/v25.0";
    let client = client_at(url);
    let err = first_call(&client).await;
    assert_wrong_url(&client, &err, url, "does not resolve");
}

#[tokio::test]
async fn tls_against_a_plain_http_port() {
    let env = start(world(11, 8)).await;
    let plain = env.server.base_url();
    let url = plain.replacen("http://", "https://", 1);
    let client = client_at(&url);
    let err = first_call(&client).await;
    assert_wrong_url(&client, &err, &url, "TLS handshake failed");
    assert_eq!(env.sim.stats().log.len(), 0, "no Graph request reached the simulator");
    env.stop().await;
}

#[tokio::test]
async fn html_404_from_something_that_is_not_graph() {
    let server = Hostile::start(Answer::NotFoundHtml).await;
    let client = client_at(&server.base_url);
    let err = first_call(&client).await;
    assert_wrong_url(&client, &err, &server.base_url, "HTTP 404 without a Graph error body");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    server.close().await;
}

#[tokio::test]
async fn refused_after_the_url_answered_is_an_outage_and_retried() {
    let server = Hostile::start(Answer::GraphNode).await;
    let mut cfg = fast();
    cfg.base_url = server.base_url.clone();
    let client =
        GraphClient::new(&cfg, Arc::new(StaticToken::new("EAAB-hostile-test-token".into()))).unwrap();
    client.call(&GraphRequest::get("act_1")).await.unwrap();
    let url = server.base_url.clone();
    server.close().await;
    let err = client.call(&GraphRequest::get("act_1")).await.unwrap_err();
    assert!(matches!(err, GraphError::RetriesExhausted { attempts: 4, .. }), "{url}: {err:?}");
    assert!(err.to_string().contains("cannot connect"), "{err}");
    assert_eq!(client.stats().requests, 5, "one success, then 1 + 3 retries");
}
