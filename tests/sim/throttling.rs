//! Usage headers on every answer and budget enforcement (facts §2).

use crate::support::*;
use meta_ads_sync::sim::{SimConfig, SimLimits};
use std::time::Duration;

const HEADERS: [&str; 4] =
    ["x-app-usage", "x-ad-account-usage", "x-business-use-case-usage", "x-fb-ads-insights-throttle"];

#[tokio::test]
async fn every_answer_carries_the_four_usage_headers() {
    let env = start(small()).await;
    let act = env.account(0);
    let ok = env.get(&act, &[("fields", "id")]).await;
    let err = env.get(&act, &[("fields", "nope")]).await;
    let anon = env.get_url(&format!("{}/{act}", env.base()), &[], None).await;
    for r in [&ok, &err, &anon] {
        for h in HEADERS {
            assert!(r.headers.contains_key(h), "{h} missing on {}", r.status);
        }
    }
    let buc = ok.header_json("x-business-use-case-usage");
    let id = act.trim_start_matches("act_");
    let entries = buc[id].as_array().expect("keyed by the account id without act_");
    assert_eq!(entries[0]["type"], "ads_management");
    assert_eq!(entries[0]["call_count"], 0, "1 call of 200 is 0%");
    assert_eq!(entries[1]["type"], "ads_insights");
    let acc = ok.header_json("x-ad-account-usage");
    assert_eq!(acc["acc_id_util_pct"], 0.5);
    env.server.shutdown().await;
}

#[tokio::test]
async fn account_budgets_are_enforced_then_recover() {
    let limits = SimLimits {
        window: Duration::from_secs(60),
        account_calls: 5,
        account_insights_calls: 2,
        ..SimLimits::default()
    };
    let env = start(SimConfig { limits, ..small() }).await;
    let sim = env.server.sim();
    let act = env.account(0);
    let ins = format!("{act}/insights");
    assert_eq!(env.get(&ins, &[]).await.status, 200);
    assert_eq!(env.get(&ins, &[]).await.status, 200);
    let r = env.get(&ins, &[]).await;
    assert_eq!((r.status.as_u16(), r.code(), r.subcode()), (400, 80000, Some(2446079)));
    let buc = r.header_json("x-business-use-case-usage");
    let insights = &buc[act.trim_start_matches("act_")][1];
    assert_eq!(insights["call_count"], 100);
    assert_eq!(insights["estimated_time_to_regain_access"], 1, "minutes, rounded up");
    assert_eq!(r.header_json("x-fb-ads-insights-throttle")["acc_id_util_pct"], 100.0);
    // Management calls still have budget: 2 used of 5.
    for _ in 0..3 {
        assert_eq!(env.get(&act, &[]).await.status, 200);
    }
    let r = env.get(&act, &[]).await;
    assert_eq!((r.code(), r.subcode()), (80004, Some(2446079)));
    // Another account is not affected.
    assert_eq!(env.get(&env.account(1), &[]).await.status, 200);
    // Batch items count and are refused item by item.
    let batch = serde_json::json!([{"method": "GET", "relative_url": act}]).to_string();
    let b = env.post("", &[("batch", &batch)]).await;
    assert_eq!(b.body[0]["code"], 400);
    assert_eq!(sim.stats().throttled, 3);
    // After the window the budget is whole again.
    sim.advance_clock(Duration::from_secs(61));
    assert_eq!(env.get(&act, &[]).await.status, 200);
    env.server.shutdown().await;
}

#[tokio::test]
async fn app_and_user_budgets_answer_4_and_17() {
    let limits = SimLimits { app_calls: 3, user_calls: Some(2), ..SimLimits::default() };
    let env = start(SimConfig { limits, ..small() }).await;
    let act = env.account(0);
    env.get(&act, &[]).await;
    env.get(&act, &[]).await;
    assert_eq!(env.get(&act, &[]).await.code(), 17);
    let other = env.server.sim().issue_token(None);
    let url = format!("{}/{act}", env.base());
    assert_eq!(env.get_url(&url, &[], Some(&other)).await.status, 200);
    let r = env.get_url(&url, &[], Some(&other)).await;
    assert_eq!(r.code(), 4);
    assert_eq!(r.header_json("x-app-usage")["call_count"], 100);
    env.server.sim().reset_limits();
    assert_eq!(env.get(&act, &[]).await.status, 200);
    env.server.shutdown().await;
}
