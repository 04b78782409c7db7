//! Error bodies and statuses (docs/graph-api.md §1), versions, data-size limits and scripted faults.

use crate::support::sim::*;
use meta_ads_sync::sim::{Fault, FaultRule, SimConfig, SimLimits};

#[tokio::test]
async fn unknown_objects_fields_and_versions() {
    let env = start(world(7, 8)).await;
    let r = env.get("120999990000000001", &[]).await;
    assert_eq!((r.status.as_u16(), r.code(), r.subcode()), (400, 100, Some(33)));
    assert_eq!(r.body["error"]["type"], "GraphMethodException");
    assert!(r.body["error"]["fbtrace_id"].is_string());
    let act = env.account(0);
    let r = env.get(&act, &[("fields", "id,colour")]).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, 100));
    assert!(r.message().contains("nonexisting field (colour)"));
    // v24.0 of the Marketing API retired on 2026-11-10; the test clock is 2026-09-03.
    let url = format!("{}/v24.0/{act}", env.server.root_url());
    assert_eq!(env.get_url(&url, &[], Some(&env.token)).await.status, 200);
    let url = format!("{}/v23.0/{act}", env.server.root_url());
    let r = env.get_url(&url, &[], Some(&env.token)).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, 2635));
    assert_eq!(
        r.body["error"]["message"],
        "(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: v25.0."
    );
    env.server.shutdown().await;
}

#[tokio::test]
async fn too_much_data_answers_500_code_1_per_page_and_1487534_per_query() {
    let limits = SimLimits { max_page_cells: 1_000, max_query_cells: 10_000, ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(7, 8) }).await;
    let act = env.account(0);
    let path = format!("{act}/insights");
    let q = |limit: &'static str| {
        vec![
            ("level", "ad"),
            ("time_increment", "1"),
            ("fields", "ad_id,impressions,spend"),
            ("date_preset", "last_7d"),
            ("limit", limit),
        ]
    };
    let r = env.get(&path, &q("500")).await;
    assert_eq!((r.status.as_u16(), r.code()), (500, 1));
    assert_eq!(
        r.body["error"]["message"],
        "Please reduce the amount of data you're asking for, then retry your request"
    );
    assert_eq!(env.get(&path, &q("100")).await.status, 200, "a smaller page passes");
    let mut big = q("100");
    big[3] = ("date_preset", "last_90d");
    let r = env.get(&path, &big).await;
    assert_eq!((r.status.as_u16(), r.code(), r.subcode()), (400, 100, Some(1487534)));
    env.server.shutdown().await;
}

#[tokio::test]
async fn scripted_faults_hit_exactly_the_nth_call() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let act = env.account(0);
    sim.inject(FaultRule::error(2).on_path("/campaigns").nth(&[3]));
    sim.inject(FaultRule::new(Fault::Html500).on_path("/adsets").first(1));
    sim.inject(FaultRule::new(Fault::Truncated).on_path("/adcreatives").first(1));
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(env.get(&format!("{act}/campaigns"), &[]).await.status.as_u16());
    }
    assert_eq!(codes, [200, 200, 400, 200]);
    let html =
        env.http.get(format!("{}/{act}/adsets", env.base())).bearer_auth(&env.token).send().await.unwrap();
    assert_eq!(html.status(), 500);
    assert!(html.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(html.headers().contains_key("x-app-usage"), "usage headers ride on every answer");
    let cut = env
        .http
        .get(format!("{}/{act}/adcreatives", env.base()))
        .bearer_auth(&env.token)
        .send()
        .await
        .unwrap();
    assert_eq!(cut.status(), 200);
    assert!(serde_json::from_str::<serde_json::Value>(&cut.text().await.unwrap()).is_err());
    let stats = sim.stats();
    assert_eq!(stats.injected_faults, 3);
    assert_eq!(stats.errors_by_code.get("2"), Some(&1));
    env.server.shutdown().await;
}

#[tokio::test]
async fn connection_resets_and_hangs_break_the_transport() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let act = env.account(0);
    sim.inject(FaultRule::new(Fault::Reset).on_path("/campaigns").first(1));
    let r = env.http.get(format!("{}/{act}/campaigns", env.base())).bearer_auth(&env.token).send().await;
    let failed = match r {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(failed, "a reset must surface as a transport error");
    sim.inject(FaultRule::new(Fault::Hang).on_path("/adsets").first(1));
    let hung = env
        .http
        .get(format!("{}/{act}/adsets", env.base()))
        .bearer_auth(&env.token)
        .timeout(std::time::Duration::from_millis(300))
        .send()
        .await;
    assert!(hung.unwrap_err().is_timeout());
    env.server.shutdown().await;
}
