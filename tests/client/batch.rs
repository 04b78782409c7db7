//! Batches: each item answered and classified on its own; `null` items re-sent, exactly those.

use std::sync::Arc;
use std::time::Duration;

use crate::support::client::*;
use meta_ads_sync::config::MetaConfig;
use meta_ads_sync::graph::{GraphClient, GraphError, GraphRequest, StaticToken};
use meta_ads_sync::sim::{Fault, FaultRule, SimConfig, SimLimits};
use serde_json::Value;

/// GETs of the campaigns of account 0, one request each, and their ids.
async fn campaign_requests(env: &Env) -> (Vec<GraphRequest>, Vec<String>) {
    let act = env.account(0);
    let client = env.client(fast());
    let list = client
        .call(&GraphRequest::get(format!("{act}/campaigns")).param("fields", "id").account(act.clone()))
        .await
        .unwrap();
    let ids: Vec<String> =
        list["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    let reqs =
        ids.iter().map(|id| GraphRequest::get(id.clone()).param("fields", "id,name").account(act.clone()));
    (reqs.collect(), ids)
}

#[tokio::test]
async fn null_item_is_resent_exactly() {
    let env = start(world(11, 8)).await;
    let (reqs, ids) = campaign_requests(&env).await;
    assert!(ids.len() >= 5);
    env.reset();
    let victim = ids[3].clone();
    env.sim.inject(FaultRule::new(Fault::BatchNull).on_path(&victim).in_batch(true).first(1));
    let client = env.client(fast());
    let results = client.batch(reqs).await;
    let got: Vec<String> =
        results.iter().map(|r| r.as_ref().unwrap()["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(got, ids, "every item answered, in request order");
    let stats = env.sim.stats();
    assert_eq!(stats.null_batch_items, 1);
    assert_eq!(stats.batch_items as usize, ids.len() + 1, "only the null item went again");
    assert_eq!(envelopes(&stats).len(), 2);
    for id in &ids {
        let n = calls(&stats, "GET", id).len();
        assert_eq!(n, if *id == victim { 2 } else { 1 }, "{id}");
    }
    let second: Vec<_> = stats.log.iter().filter(|r| r.batch_item).skip(ids.len()).collect();
    assert_eq!(second.len(), 1);
    assert!(second[0].path.ends_with(&victim));
    assert_eq!(client.stats().batch_items as usize, ids.len() + 1);
    env.stop().await;
}

#[tokio::test]
async fn items_are_classified_on_their_own() {
    let env = start(world(11, 8)).await;
    let (reqs, ids) = campaign_requests(&env).await;
    env.reset();
    // Item 0: invalid (100) → skipped; item 1: transient once → retried; item 2: 613 → throttled
    // (that account waits, the item is re-sent after the block); the rest: fine.
    env.sim.inject(FaultRule::error(100).on_path(&ids[0]).first(1));
    env.sim.inject(FaultRule::error(2).on_path(&ids[1]).first(1));
    env.sim.inject(FaultRule::error(613).on_path(&ids[2]).first(1));
    let client = env.client(fast());
    let results = client.batch(reqs).await;
    assert!(matches!(&results[0], Err(GraphError::Skipped { code: 100, .. })), "{:?}", results[0]);
    for (r, id) in results.iter().zip(&ids).skip(1) {
        assert_eq!(r.as_ref().unwrap()["id"], id.as_str());
    }
    let stats = env.sim.stats();
    assert_eq!(calls(&stats, "GET", &ids[0]).len(), 1, "skip: no retry");
    assert_eq!(calls(&stats, "GET", &ids[1]).len(), 2, "transient: one retry");
    assert_eq!(calls(&stats, "GET", &ids[2]).len(), 2, "throttled: re-sent after the wait");
    assert_eq!(stats.batch_items as usize, ids.len() + 2);
    assert_eq!(client.skipped().len(), 1);
    env.stop().await;
}

#[tokio::test]
async fn large_batches_are_split_at_max_size() {
    let env = start(world(11, 8)).await;
    let (reqs, ids) = campaign_requests(&env).await;
    env.reset();
    let mut cfg = fast();
    cfg.batch.max_size = 3;
    let client = env.client(cfg);
    let results = client.batch(reqs.clone()).await;
    assert!(results.iter().all(Result::is_ok));
    let stats = env.sim.stats();
    assert_eq!(envelopes(&stats).len(), ids.len().div_ceil(3));
    assert_eq!(stats.batch_items as usize, ids.len());
    // 51 items are refused as configuration, 50 is the ceiling Meta accepts.
    let mut bad = fast();
    bad.batch.max_size = 51;
    let err = GraphClient::new(&bad, Arc::new(StaticToken::new("t".into()))).unwrap_err();
    assert!(matches!(err, GraphError::Config(ref m) if m.contains("max_size")), "{err}");
    // Empty input, empty output, no request.
    env.reset();
    let client = env.client(fast());
    assert!(client.batch(Vec::new()).await.is_empty());
    assert_eq!(env.sim.stats().http_requests, 0);
    env.stop().await;
}

#[tokio::test]
async fn usage_headers_of_batch_items_stop_a_full_account() {
    let (n, window) = (8, Duration::from_secs(600));
    let limits = SimLimits { window, account_calls: Some(n), ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(11, 8) }).await;
    let act = env.account(0);
    let mut cfg = fast();
    cfg.timeouts.operation_seconds = 5.0;
    let client = env.client(cfg); // its own budget (200/h) would allow more
    let reqs: Vec<GraphRequest> =
        (0..n).map(|_| GraphRequest::get(act.clone()).param("fields", "id").account(act.clone())).collect();
    let results: Vec<Value> = client.batch(reqs).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(results.len(), n as usize);
    assert_eq!((client.stats().calls, client.stats().requests), (n as u64, 1), "items are the calls");
    // The last item's x-business-use-case-usage said the account is full, with an estimate of
    // when access returns: the next call to it is not even sent.
    let err = client.call(&GraphRequest::get(act.clone()).account(act.clone())).await.unwrap_err();
    assert!(matches!(&err, GraphError::Throttled { account: Some(a), code: 0, .. } if *a == act), "{err:?}");
    let stats = env.sim.stats();
    assert_eq!(calls(&stats, "GET", &act).len(), n as usize, "no request after the stop");
    assert_eq!(stats.throttled, 0);
    // Other accounts go on.
    let other = env.account(1);
    client.call(&GraphRequest::get(other.clone()).account(other)).await.unwrap();
    env.stop().await;
}

#[tokio::test]
async fn throttled_account_items_wait_while_other_items_go_on() {
    let env = start(world(11, 8)).await;
    let (a, b) = (env.account(0), env.account(1));
    let mut cfg = fast();
    cfg.retry.throttle_backoff_seconds = 1.5;
    let client = env.client(cfg);
    env.sim.inject(FaultRule::error(613).on_account(&a).in_batch(true).first(1));
    env.sim.inject(FaultRule::error(2).on_account(&b).in_batch(true).nth(&[2]));
    let get = |act: &str| GraphRequest::get(act.to_string()).param("fields", "id").account(act.to_string());
    let results = client.batch(vec![get(&a), get(&b), get(&b)]).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let stats = env.sim.stats();
    let items: Vec<_> = stats.log.iter().filter(|r| r.batch_item).collect();
    let by = |act: &str| act.trim_start_matches("act_").to_string();
    let seq: Vec<(String, Option<i64>)> =
        items.iter().map(|r| (r.account_id.clone().unwrap(), r.error_code)).collect();
    assert_eq!(
        seq,
        vec![
            (by(&a), Some(613)),
            (by(&b), None),
            (by(&b), Some(2)),
            (by(&b), None), // B's retry went out alone, right away
            (by(&a), None), // A's item after its account's block
        ]
    );
    assert_eq!(envelopes(&stats).len(), 3);
    assert!(items[4].at_ms >= items[0].at_ms + 1500);
    assert!(items[3].at_ms < items[0].at_ms + 1500, "B did not wait for A");
    env.stop().await;
}

#[tokio::test]
async fn null_item_goes_again_in_the_next_batch_without_backoff() {
    let env = start(world(11, 8)).await;
    let (reqs, ids) = campaign_requests(&env).await;
    env.reset();
    env.sim.inject(FaultRule::new(Fault::BatchNull).on_path(&ids[2]).in_batch(true).first(2));
    // Production retry settings (60 s backoff base): a null item must not pay it.
    let mut cfg = MetaConfig::default();
    cfg.timeouts.operation_seconds = 20.0;
    let client = env.client(cfg);
    let results = client.batch(reqs).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let stats = env.sim.stats();
    assert_eq!(stats.null_batch_items, 2);
    assert_eq!(envelopes(&stats).len(), 3, "null twice: re-sent in the next envelope each time");
    assert_eq!(calls(&stats, "GET", &ids[2]).len(), 3);
    assert_eq!(client.stats().waited, Duration::ZERO, "no backoff for a null item");
    assert_eq!(client.stats().retries, 2);
    env.stop().await;
}

#[tokio::test]
async fn an_account_out_of_budget_never_holds_another_accounts_items() {
    let env = start(world(11, 8)).await;
    let (a, b) = (env.account(0), env.account(1));
    let mut cfg = fast();
    cfg.rate_limit.calls_per_hour = 2;
    cfg.timeouts.operation_seconds = 5.0;
    let client = env.client(cfg);
    // B's item fails once and is due again within 0.1 s; A's third item has no budget for an hour.
    env.sim.inject(FaultRule::error(2).on_account(&b).in_batch(true).first(1));
    let get = |act: &str| GraphRequest::get(act.to_string()).param("fields", "id").account(act.to_string());
    let results = client.batch(vec![get(&a), get(&a), get(&a), get(&b)]).await;
    assert!(results[0].is_ok() && results[1].is_ok(), "{results:?}");
    assert!(matches!(results[2], Err(GraphError::Deadline { .. })), "A's third item: {:?}", results[2]);
    assert_eq!(results[3].as_ref().unwrap()["id"], b.as_str(), "B's retry was not held by A's budget");
    let stats = env.sim.stats();
    let on_b = calls(&stats, "GET", &b);
    assert_eq!(on_b.len(), 2);
    assert!(on_b[1].at_ms < on_b[0].at_ms + 1000, "B's retry went out at once: {on_b:?}");
    assert_eq!(calls(&stats, "GET", &a).len(), 2, "A never exceeded its budget");
    env.stop().await;
}
