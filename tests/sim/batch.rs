//! Batch requests: ≤ 50 items, per-item code/headers/body string, `null` items, > 50 refused.

use crate::support::sim::*;
use meta_ads_sync::sim::{Fault, FaultRule};
use serde_json::{Value, json};

fn items(env: &Env, n: usize) -> String {
    let acts = env.server.sim().account_ids();
    let list: Vec<Value> = (0..n)
        .map(|i| json!({"method": "GET", "relative_url": format!("v25.0/{}?fields=id,name,currency", acts[i % acts.len()])}))
        .collect();
    Value::Array(list).to_string()
}

#[tokio::test]
async fn items_come_back_in_order_with_code_headers_and_a_json_string_body() {
    let env = start(world(7, 8)).await;
    let batch = items(&env, 50);
    let r = env.post("", &[("batch", &batch)]).await;
    assert_eq!(r.status, 200);
    let list = r.body.as_array().unwrap();
    assert_eq!(list.len(), 50);
    let acts = env.server.sim().account_ids();
    for (i, item) in list.iter().enumerate() {
        assert_eq!(item["code"], 200);
        let body: Value = serde_json::from_str(item["body"].as_str().expect("body is a string")).unwrap();
        assert_eq!(body["id"], acts[i % acts.len()]);
        let names: Vec<&str> =
            item["headers"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
        for h in
            ["x-business-use-case-usage", "x-app-usage", "x-ad-account-usage", "x-fb-ads-insights-throttle"]
        {
            assert!(names.contains(&h), "{h} missing from item headers {names:?}");
        }
    }
    let stats = env.server.sim().stats();
    assert_eq!(stats.batch_items, 50, "each item is a call");
    assert_eq!(stats.batch_requests, 1);
    // include_headers=false drops item headers.
    let r = env.post("", &[("batch", &items(&env, 2)), ("include_headers", "false")]).await;
    assert!(r.body[0].get("headers").is_none());
    env.server.shutdown().await;
}

#[tokio::test]
async fn more_than_fifty_items_are_refused() {
    let env = start(world(7, 8)).await;
    let r = env.post("", &[("batch", &items(&env, 51))]).await;
    assert_eq!(r.status, 400);
    assert!(r.message().contains("Maximum batch size is 50"));
    assert_eq!(env.server.sim().stats().batch_items, 0);
    env.server.shutdown().await;
}

#[tokio::test]
async fn timed_out_items_are_null_and_failures_stay_per_item() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    sim.inject(FaultRule::new(Fault::BatchNull).in_batch(true).nth(&[2]));
    sim.inject(FaultRule::error(80004).in_batch(true).nth(&[3]));
    let r = env.post("", &[("batch", &items(&env, 4))]).await;
    let list = r.body.as_array().unwrap();
    assert_eq!(list[0]["code"], 200);
    assert!(list[1].is_null(), "the 2nd item timed out");
    assert_eq!(list[2]["code"], 400);
    let err: Value = serde_json::from_str(list[2]["body"].as_str().unwrap()).unwrap();
    assert_eq!(err["error"]["code"], 80004);
    assert_eq!(list[3]["code"], 200);
    let stats = sim.stats();
    assert_eq!(stats.null_batch_items, 1);
    // Items carrying an expired token fail alone, with 403 and WWW-Authenticate.
    let expired = sim.issue_token(None);
    sim.expire_token(&expired);
    let acts = sim.account_ids();
    let batch = json!([
        {"method": "GET", "relative_url": format!("{}?fields=id&access_token={expired}", acts[0])},
        {"method": "GET", "relative_url": format!("{}?fields=id", acts[0])},
    ]);
    let r = env.post("", &[("batch", &batch.to_string())]).await;
    assert_eq!(r.body[0]["code"], 403);
    assert!(r.body[0]["headers"].as_array().unwrap().iter().any(|h| h["name"] == "WWW-Authenticate"));
    assert_eq!(r.body[1]["code"], 200);
    env.server.shutdown().await;
}
