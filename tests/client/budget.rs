//! Client-side budgets: with N calls per window, the simulator never sees more than N calls to
//! an account in any window, never refuses one, and the client still finishes everything.

use std::time::Duration;

use crate::support::client::*;
use futures_util::TryStreamExt;
use futures_util::future::join_all;
use meta_ads_sync::graph::{GraphClient, GraphRequest};
use meta_ads_sync::sim::{RequestLog, SimConfig, SimLimits};

const WINDOW: Duration = Duration::from_secs(2);
const CALLS: u32 = 4;
const INSIGHTS: u32 = 2;

/// Most entries of `log` within any window of `WINDOW` (simulator time).
fn peak_in_window(log: &[&RequestLog]) -> usize {
    let mut at: Vec<u64> = log.iter().map(|r| r.at_ms).collect();
    at.sort_unstable();
    let w = WINDOW.as_millis() as u64;
    (0..at.len()).map(|i| at[i..].iter().take_while(|t| **t < at[i] + w).count()).max().unwrap_or(0)
}

async fn workload(client: &GraphClient, act: String) {
    let mut work = Vec::new();
    // Management calls, one at a time and concurrently.
    for _ in 0..6 {
        let c = client.clone();
        let a = act.clone();
        work.push(tokio::spawn(async move {
            c.call(&GraphRequest::get(a.clone()).param("fields", "id,name").account(a)).await.unwrap();
        }));
    }
    // Insights calls.
    for _ in 0..3 {
        let c = client.clone();
        let a = act.clone();
        work.push(tokio::spawn(async move {
            let req =
                GraphRequest::get(format!("{a}/insights")).param("level", "account").account(a).insights();
            c.call(&req).await.unwrap();
        }));
    }
    // A listing and a batch whose items count one by one.
    let c = client.clone();
    let a = act.clone();
    work.push(tokio::spawn(async move {
        let req = GraphRequest::get(format!("{a}/campaigns")).param("limit", "5").account(a);
        let _: Vec<_> = c.pages(req).try_collect().await.unwrap();
    }));
    let c = client.clone();
    work.push(tokio::spawn(async move {
        let items = (0..5)
            .map(|_| GraphRequest::get(act.clone()).param("fields", "id").account(act.clone()))
            .collect();
        assert!(c.batch(items).await.iter().all(Result::is_ok));
    }));
    for w in join_all(work).await {
        w.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_than_the_budget_in_any_window() {
    // The simulator allows one call more than the client's budget: it reports a full window as
    // "blocked" with estimated_time_to_regain_access in whole minutes (docs/graph-api.md §2.3), which the
    // client rightly honours — a minute's stop in a 2-second test window. With one call of
    // headroom the headers never say "full", and the log shows whether the budget held.
    let limits = SimLimits {
        window: WINDOW,
        account_calls: Some(CALLS + 1),
        account_insights_calls: Some(INSIGHTS + 1),
        ..SimLimits::default()
    };
    let env = start(SimConfig { limits, ..world(11, 8) }).await;
    let mut cfg = fast();
    cfg.rate_limit.calls_per_hour = CALLS;
    cfg.rate_limit.insights_per_hour = INSIGHTS;
    cfg.rate_limit.window_seconds = WINDOW.as_secs();
    let client = env.client(cfg);
    let accounts = [env.account(0), env.account(1)];
    join_all(accounts.iter().map(|a| workload(&client, a.clone()))).await;

    let stats = env.sim.stats();
    assert_eq!(stats.throttled, 0, "the simulator refused nothing");
    for code in ["4", "17", "613", "80000", "80004"] {
        assert!(!stats.errors_by_code.contains_key(code), "answered {code}: {:?}", stats.errors_by_code);
    }
    for act in &accounts {
        let id = act.trim_start_matches("act_");
        let all: Vec<&RequestLog> =
            stats.log.iter().filter(|r| r.account_id.as_deref() == Some(id)).collect();
        let insights: Vec<&RequestLog> = all.iter().copied().filter(|r| r.insights).collect();
        assert!(all.len() >= 15, "{act}: the whole workload ran ({})", all.len());
        assert_eq!(peak_in_window(&all), CALLS as usize, "{act}: calls in the busiest window");
        let peak = peak_in_window(&insights);
        assert!((1..=INSIGHTS as usize).contains(&peak), "{act}: {peak} insights calls in one window");
    }
    assert!(client.stats().waited > Duration::ZERO, "the budget made the client wait");
    env.stop().await;
}
