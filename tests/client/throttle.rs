//! Throttles stop the throttled scope only: a 613 on one ad account leaves the others running.

use crate::support::client::*;
use meta_ads_sync::graph::GraphRequest;
use meta_ads_sync::sim::FaultRule;

#[tokio::test]
async fn throttled_account_waits_while_others_go_on() {
    let env = start(world(11, 8)).await;
    let (a, b) = (env.account(0), env.account(1));
    let mut cfg = fast();
    cfg.retry.throttle_backoff_seconds = 1.5;
    let client = env.client(cfg);
    env.sim.inject(FaultRule::error(613).on_account(&a).first(1));
    let get = |act: &str| GraphRequest::get(act.to_string()).param("fields", "id").account(act.to_string());
    let throttled = {
        let c = client.clone();
        let req = get(&a);
        tokio::spawn(async move { c.call(&req).await })
    };
    // Let the throttled call reach the simulator first.
    while !env.sim.stats().errors_by_code.contains_key("613") {
        tokio::task::yield_now().await;
    }
    for _ in 0..5 {
        client.call(&get(&b)).await.unwrap();
    }
    throttled.await.unwrap().unwrap();

    let stats = env.sim.stats();
    let on_a = calls(&stats, "GET", &a);
    let on_b = calls(&stats, "GET", &b);
    assert_eq!(on_a.len(), 2, "613, then one success after the wait");
    assert_eq!(on_a[0].error_code, Some(613));
    assert!(on_a[1].at_ms >= on_a[0].at_ms + 1500, "{} → {}", on_a[0].at_ms, on_a[1].at_ms);
    assert_eq!(on_b.len(), 5);
    assert!(on_b.iter().all(|r| r.at_ms < on_a[1].at_ms), "account B was not held by A's throttle");
    assert_eq!(client.stats().throttles, 1);
    env.stop().await;
}

#[tokio::test]
async fn buc_throttle_without_estimate_backs_off_and_recovers() {
    let env = start(world(11, 8)).await;
    let a = env.account(2);
    let client = env.client(fast());
    env.sim.inject(FaultRule::error(80004).on_account(&a).first(2));
    client.call(&GraphRequest::get(a.clone()).account(a.clone())).await.unwrap();
    let stats = env.sim.stats();
    let log = calls(&stats, "GET", &a);
    let codes: Vec<Option<i64>> = log.iter().map(|r| r.error_code).collect();
    assert_eq!(codes, vec![Some(80004), Some(80004), None]);
    env.stop().await;
}
