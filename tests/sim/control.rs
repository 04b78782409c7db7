//! The `/__sim/*` HTTP control endpoints mirror the library handle.

use crate::support::sim::*;
use serde_json::json;

/// Sends a request to a control endpoint and reads the answer.
async fn control(req: reqwest::RequestBuilder) -> Answer {
    answer(req.send().await.expect("request")).await
}

#[tokio::test]
async fn control_endpoints_mutate_inject_and_report() {
    let env = start(world(7, 8)).await;
    let root = env.server.root_url();
    let act = env.account(0);
    let campaigns = env.get(&format!("{act}/campaigns"), &[("fields", "id,effective_status")]).await.data();
    let id = campaigns.iter().find(|c| c["effective_status"] == "ACTIVE").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = control(
        env.http.post(format!("{root}/__sim/mutate")).json(&json!({"op": "archive", "object_id": id})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(env.get(&id, &[("fields", "effective_status")]).await.body["effective_status"], "ARCHIVED");
    let r = control(
        env.http.post(format!("{root}/__sim/mutate")).json(&json!({"op": "pause", "object_id": "42"})),
    )
    .await;
    assert_eq!(r.status, 400);
    let rule = json!({"path_contains": "/adsets", "trigger": {"kind": "nth", "calls": [1]}, "fault": {"kind": "error", "code": 368}});
    assert_eq!(control(env.http.post(format!("{root}/__sim/faults")).json(&rule)).await.status, 200);
    assert_eq!(env.get(&format!("{act}/adsets"), &[]).await.code(), 368);
    assert_eq!(env.get(&format!("{act}/adsets"), &[]).await.status, 200);
    let stats = control(env.http.get(format!("{root}/__sim/stats"))).await.body;
    assert_eq!(stats["errors_by_code"]["368"], 1);
    assert_eq!(stats["by_endpoint"]["GET /act_{id}/adsets"], 2);
    assert!(stats["peak_concurrent"].as_u64().unwrap() >= 1);
    let today = env.server.sim().today(&act).unwrap();
    let day = today.to_string();
    let q = [("levels", "campaign"), ("since", day.as_str()), ("until", day.as_str())];
    let truth = control(env.http.get(format!("{root}/__sim/truth")).query(&q)).await.body;
    assert_eq!(truth["campaigns"].as_array().unwrap().len(), 24);
    assert!(truth["insights"].as_array().unwrap().iter().all(|r| r["level"] == "campaign"));
    let token =
        control(env.http.post(format!("{root}/__sim/tokens")).json(&json!({"ttl_seconds": 60}))).await.body;
    let user = token["access_token"].as_str().unwrap();
    assert_eq!(env.get_url(&format!("{}/me", env.base()), &[], Some(user)).await.status, 200);
    env.server.shutdown().await;
}
