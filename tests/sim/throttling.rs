//! Usage headers on every answer and budgets as Meta computes them (docs/graph-api.md §2): per
//! ad account a score with the tier's hourly budget scaled to its 300-second decay, draining
//! continuously; over it, Meta's codes and a regain time that the clock confirms.

use crate::support::sim::*;
use chrono::NaiveDate;
use meta_ads_sync::sim::{AccessTier, Mutation, Sim, SimConfig, SimLimits, TruthQuery};
use serde_json::{Value, json};
use std::time::Duration;

const HEADERS: [&str; 4] =
    ["x-app-usage", "x-ad-account-usage", "x-business-use-case-usage", "x-fb-ads-insights-throttle"];

/// Ads of `act` whose effective status is ACTIVE, from the simulator's truth.
fn active_ads(sim: &Sim, act: &str) -> u64 {
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let truth = sim.truth(&TruthQuery { levels: vec![], since: day, until: day });
    let id = act.trim_start_matches("act_");
    truth.ads.iter().filter(|a| a.account_id == id && a.effective_status == "ACTIVE").count() as u64
}

/// Limited access: `(300 + 40 × active ads)` per hour, scaled to a 300 s decay.
fn limited_capacity(active: u64) -> f64 {
    (300 + 40 * active) as f64 * 300.0 / 3600.0
}

/// A share reported as `want` percent, less what drained in the real time since `t0` (scores
/// drain `100 / window` percent a second; the simulated clock also follows real time).
fn near(v: &Value, want: f64, window_secs: f64, t0: std::time::Instant) -> bool {
    let drained = t0.elapsed().as_secs_f64() * 100.0 / window_secs;
    v.as_f64().is_some_and(|x| x <= want + 0.006 && x >= want - drained - 0.006)
}

/// `n` GETs of `act` in one batch: they run back to back, so the score hardly drains between.
async fn batch_of(env: &Env, act: &str, n: usize) -> Vec<i64> {
    let items: Vec<Value> = (0..n).map(|_| json!({"method": "GET", "relative_url": act})).collect();
    let b = env.post("", &[("batch", &Value::Array(items).to_string())]).await;
    assert_eq!(b.status, 200, "{}", b.body);
    b.body.as_array().unwrap().iter().map(|i| i["code"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn every_answer_carries_the_four_usage_headers() {
    let env = start(world(7, 8)).await;
    let t0 = std::time::Instant::now();
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
    assert_eq!(entries[0]["ads_api_access_tier"], "development_access", "Limited access by default");
    assert_eq!(entries[1]["type"], "ads_insights");
    let cap = limited_capacity(active_ads(&env.server.sim(), &act));
    assert!(cap > 25.0, "the world has active ads");
    assert_eq!(entries[0]["call_count"], (100.0 / cap).round() as u64, "1 call of {cap}");
    let acc = ok.header_json("x-ad-account-usage");
    assert!(near(&acc["acc_id_util_pct"], 100.0 / cap, 300.0, t0), "{acc}");
    let reset = acc["reset_time_duration"].as_f64().unwrap();
    let slack = t0.elapsed().as_secs_f64() + 1.0;
    assert!((reset - 300.0 / cap).abs() <= slack, "one point drains in 300 s / {cap}: {reset}");
    env.server.shutdown().await;
}

#[tokio::test]
async fn a_fixed_budget_reports_its_share() {
    let limits = SimLimits { account_calls: Some(200), ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(7, 8) }).await;
    let act = env.account(0);
    let ok = env.get(&act, &[("fields", "id")]).await;
    let buc = ok.header_json("x-business-use-case-usage");
    assert_eq!(buc[act.trim_start_matches("act_")][0]["call_count"], 0, "1 call of 200 is 0%");
    assert_eq!(ok.header_json("x-ad-account-usage")["acc_id_util_pct"], 0.5);
    env.server.shutdown().await;
}

#[tokio::test]
async fn usage_headers_follow_the_decaying_score() {
    let env = start(world(7, 8)).await;
    let t0 = std::time::Instant::now();
    let sim = env.server.sim();
    let act = env.account(0);
    let cap = limited_capacity(active_ads(&sim, &act));
    let rate = cap / 300.0;
    let codes = batch_of(&env, &act, 19).await;
    assert!(codes.iter().all(|c| *c == 200), "{codes:?}");
    let usage = |r: &Answer| {
        let acc = r.header_json("x-ad-account-usage");
        (acc["acc_id_util_pct"].clone(), acc["reset_time_duration"].as_f64().unwrap())
    };
    // 20 points now.
    let (pct, reset) = usage(&env.get(&act, &[]).await);
    assert!(near(&pct, 2000.0 / cap, 300.0, t0), "{pct} vs {}", 2000.0 / cap);
    let slack = t0.elapsed().as_secs_f64() + 1.0;
    assert!((reset - 20.0 / rate).abs() <= slack, "{reset} s to drain 20 points at {rate}/s");
    // Half of the 20 points drain in 10 / rate seconds (and this call adds one).
    sim.advance_clock(Duration::from_secs_f64(10.0 / rate));
    let (pct, reset) = usage(&env.get(&act, &[]).await);
    let left = 10.0;
    assert!(near(&pct, (left + 1.0) * 100.0 / cap, 300.0, t0), "{pct} vs {}", (left + 1.0) * 100.0 / cap);
    let slack = t0.elapsed().as_secs_f64() + 1.0;
    assert!((reset - (left + 1.0) / rate).abs() <= slack, "{reset}");
    // After the whole window the score is back to the single new call.
    sim.advance_clock(Duration::from_secs(300));
    let r = env.get(&act, &[]).await;
    let (pct, _) = usage(&r);
    assert!(near(&pct, 100.0 / cap, 300.0, t0), "{pct}");
    let buc = r.header_json("x-business-use-case-usage");
    assert_eq!(buc[act.trim_start_matches("act_")][0]["estimated_time_to_regain_access"], 0);
    env.server.shutdown().await;
}

#[tokio::test]
async fn the_budget_scales_with_active_ads() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let act = env.account(0);
    let before = active_ads(&sim, &act);
    let admitted = |codes: &[i64]| codes.iter().take_while(|c| **c == 200).count();
    let codes =
        [batch_of(&env, &act, 50).await, batch_of(&env, &act, 50).await, batch_of(&env, &act, 50).await]
            .concat();
    assert_eq!(admitted(&codes), limited_capacity(before).floor() as usize, "{before} active ads");
    assert!(codes[admitted(&codes)..].iter().all(|c| *c == 400));
    // Pause the campaigns of the account: fewer active ads, a smaller budget.
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let truth = sim.truth(&TruthQuery { levels: vec![], since: day, until: day });
    let id = act.trim_start_matches("act_");
    for c in truth.campaigns.iter().filter(|c| c.account_id == id && c.effective_status == "ACTIVE").take(4) {
        sim.mutate(Mutation::Pause { object_id: c.campaign_id.clone() }).unwrap();
    }
    let after = active_ads(&sim, &act);
    assert!(after < before, "{after} < {before}");
    sim.reset_limits();
    let codes = [batch_of(&env, &act, 50).await, batch_of(&env, &act, 50).await].concat();
    assert_eq!(admitted(&codes), limited_capacity(after).floor() as usize, "{after} active ads");
    env.server.shutdown().await;
}

#[tokio::test]
async fn full_access_reports_its_tier_and_a_far_larger_budget() {
    let limits = SimLimits { tier: AccessTier::Full, ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(7, 8) }).await;
    let t0 = std::time::Instant::now();
    let act = env.account(0);
    let codes = batch_of(&env, &act, 50).await;
    assert!(codes.iter().all(|c| *c == 200));
    let r = env.get(&act, &[]).await;
    let acc = r.header_json("x-ad-account-usage");
    assert_eq!(acc["ads_api_access_tier"], "standard_access");
    let cap = (100_000 + 40 * active_ads(&env.server.sim(), &act)) as f64 / 12.0;
    assert!(near(&acc["acc_id_util_pct"], 5100.0 / cap, 300.0, t0), "{acc}");
    env.server.shutdown().await;
}

#[tokio::test]
async fn over_the_budget_meta_codes_and_a_regain_time_the_clock_confirms() {
    // 10 points draining over an hour: one point every 360 s, i.e. "6 minutes".
    let limits =
        SimLimits { window: Duration::from_secs(3600), account_calls: Some(10), ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(7, 8) }).await;
    let sim = env.server.sim();
    let act = env.account(0);
    let id = act.trim_start_matches("act_").to_string();
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let truth = sim.truth(&TruthQuery { levels: vec![], since: day, until: day });
    let campaign = truth.campaigns.iter().find(|c| c.account_id == id).unwrap().campaign_id.clone();
    assert!(batch_of(&env, &act, 10).await.iter().all(|c| *c == 200));
    let r = env.get(&act, &[]).await;
    assert_eq!((r.status.as_u16(), r.code(), r.subcode()), (400, 80004, Some(2446079)));
    let msg = r.message();
    assert!(msg.starts_with("(#80004) There have been too many calls to this ad-account."), "{msg}");
    let buc = r.header_json("x-business-use-case-usage");
    assert_eq!(buc[&id][0]["call_count"], 100);
    assert_eq!(buc[&id][0]["estimated_time_to_regain_access"], 6, "minutes");
    assert_eq!(r.header_json("x-ad-account-usage")["reset_time_duration"], 3600);
    sim.advance_clock(Duration::from_secs(5 * 60));
    let r = env.get(&act, &[]).await;
    assert_eq!(r.code(), 80004, "still full after 5 minutes");
    assert_eq!(r.header_json("x-business-use-case-usage")[&id][0]["estimated_time_to_regain_access"], 1);
    sim.advance_clock(Duration::from_secs(61));
    assert_eq!(env.get(&act, &[]).await.status, 200, "back after 6 minutes");
    assert_eq!(env.get(&act, &[]).await.code(), 80004, "room for one call only");
    // A write costs 3 points, which take 18 minutes to drain: 17 are not enough, 19 are.
    sim.advance_clock(Duration::from_secs(17 * 60));
    assert_eq!(env.post(&campaign, &[("status", "PAUSED")]).await.code(), 80004);
    sim.advance_clock(Duration::from_secs(60 + 60));
    let w = env.post(&campaign, &[("status", "PAUSED")]).await;
    assert_eq!(w.status, 200, "{}", w.body);
    assert_eq!(sim.stats().throttled, 4);
    env.server.shutdown().await;
}

#[tokio::test]
async fn account_budgets_are_enforced_then_recover() {
    let limits = SimLimits {
        window: Duration::from_secs(60),
        account_calls: Some(5),
        account_insights_calls: Some(2),
        ..SimLimits::default()
    };
    let env = start(SimConfig { limits, ..world(7, 8) }).await;
    let t0 = std::time::Instant::now();
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
    assert_eq!(insights["estimated_time_to_regain_access"], 1, "30 s: minutes, rounded up");
    assert!(near(&r.header_json("x-fb-ads-insights-throttle")["acc_id_util_pct"], 100.0, 60.0, t0));
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
    // An insights call needs one of 2 points: 30 s of the 60 s decay; 29 s are not enough.
    sim.advance_clock(Duration::from_secs(29));
    assert_eq!(env.get(&ins, &[]).await.code(), 80000);
    sim.advance_clock(Duration::from_secs(2));
    assert_eq!(env.get(&ins, &[]).await.status, 200);
    // After the window the budget is whole again.
    sim.advance_clock(Duration::from_secs(61));
    for _ in 0..5 {
        assert_eq!(env.get(&act, &[]).await.status, 200);
    }
    env.server.shutdown().await;
}

#[tokio::test]
async fn app_and_user_budgets_answer_4_and_17() {
    let limits = SimLimits { app_calls: 3, user_calls: Some(2), ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(7, 8) }).await;
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

#[tokio::test]
async fn bursts_answer_613() {
    let limits = SimLimits { account_calls_per_second: Some(2), ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(7, 8) }).await;
    let act = env.account(0);
    let codes = batch_of(&env, &act, 3).await;
    assert_eq!(codes, vec![200, 200, 400]);
    let r = env.get(&act, &[]).await;
    assert_eq!((r.code(), r.subcode()), (613, Some(1487742)));
    env.server.sim().advance_clock(Duration::from_secs(2));
    assert_eq!(env.get(&act, &[]).await.status, 200);
    env.server.shutdown().await;
}
