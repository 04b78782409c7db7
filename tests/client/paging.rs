//! Paging: cursors followed to the end through empty pages; page size shrunk on "reduce the
//! amount of data" and grown back; whole-query "too much data" handed to the caller.

use std::collections::BTreeSet;

use crate::support::client::*;
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use meta_ads_sync::graph::{GraphError, GraphRequest};
use meta_ads_sync::model::InsightLevel;
use meta_ads_sync::sim::{Fault, FaultRule, SimConfig, SimLimits, TruthQuery};
use serde_json::Value;

const ALL: &str = r#"["ACTIVE","PAUSED","DELETED","ARCHIVED","IN_PROCESS","WITH_ISSUES"]"#;

fn all_campaigns(act: &str) -> GraphRequest {
    GraphRequest::get(format!("{act}/campaigns"))
        .param("fields", "id,name,effective_status")
        .param(
            "filtering",
            format!(r#"[{{"field":"campaign.effective_status","operator":"IN","value":{ALL}}}]"#),
        )
        .account(act)
}

fn ad_insights(act: &str) -> GraphRequest {
    // Insights of deleted and archived ads too (the default hides them, docs/graph-api.md §6.6).
    let statuses = r#"["ACTIVE","PAUSED","DELETED","ARCHIVED","IN_PROCESS","WITH_ISSUES","CAMPAIGN_PAUSED","ADSET_PAUSED","PENDING_REVIEW","DISAPPROVED","PREAPPROVED","PENDING_BILLING_INFO"]"#;
    GraphRequest::get(format!("{act}/insights"))
        .param("level", "ad")
        .param(
            "filtering",
            format!(r#"[{{"field":"ad.effective_status","operator":"IN","value":{statuses}}}]"#),
        )
        .param("fields", "ad_id,impressions,spend")
        .param("time_range", r#"{"since":"2026-08-10","until":"2026-09-02"}"#)
        .param("time_increment", "1")
        .account(act)
        .insights()
}

#[tokio::test]
async fn listing_follows_cursors_through_empty_pages_to_the_end() {
    let env = start(SimConfig { empty_page_rate: 0.4, ..world(11, 8) }).await;
    let act = env.account(0);
    let mut cfg = fast();
    cfg.page_size = 2;
    let client = env.client(cfg);
    let pages: Vec<Vec<Value>> = client.pages(all_campaigns(&act)).try_collect().await.unwrap();
    let ids: Vec<String> = pages.iter().flatten().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no row twice");
    let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let truth = env.sim.truth(&TruthQuery { levels: vec![], since: day, until: day });
    let want: BTreeSet<String> = truth
        .campaigns
        .iter()
        .filter(|c| c.account_id == act.trim_start_matches("act_"))
        .map(|c| c.campaign_id.clone())
        .collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        want,
        "every campaign, archived and deleted too"
    );
    let empty_before_end = pages[..pages.len() - 1].iter().filter(|p| p.is_empty()).count();
    assert!(empty_before_end > 0, "the world served empty pages with `next`, and paging went on");
    let stats = env.sim.stats();
    let log = calls(&stats, "GET", &format!("{act}/campaigns"));
    assert_eq!(log.len(), pages.len(), "one request per page");
    assert!(param(log[0], "after").is_none());
    assert!(log[1..].iter().all(|r| param(r, "after").is_some()), "built from cursors.after");
    assert!(log.iter().all(|r| param(r, "limit") == Some("2")));
    assert_eq!(stats.tokens_in_url, 0);
    env.stop().await;
}

#[tokio::test]
async fn reduce_data_halves_the_page_and_grows_back() {
    let env = start(world(11, 8)).await;
    let act = env.account(0);
    let mut cfg = fast();
    cfg.page_size = 20;
    let client = env.client(cfg);
    let baseline: Vec<Value> =
        client.pages(ad_insights(&act)).try_collect::<Vec<_>>().await.unwrap().concat();
    assert!(baseline.len() > 80, "enough rows for several pages: {}", baseline.len());
    env.reset();
    env.sim.inject(FaultRule::new(Fault::ReduceData).on_path(&format!("{act}/insights")).first(1));
    let pages: Vec<Vec<Value>> = client.pages(ad_insights(&act)).try_collect().await.unwrap();
    assert_eq!(pages.concat(), baseline, "same rows");
    let stats = env.sim.stats();
    let log = calls(&stats, "GET", &format!("{act}/insights"));
    let limits: Vec<(&str, Option<i64>)> =
        log.iter().map(|r| (param(r, "limit").unwrap(), r.error_code)).collect();
    assert_eq!(limits[0], ("20", Some(1)), "HTTP 500 code 1 on the full page");
    assert_eq!(limits[1], ("10", None), "same page, half the size");
    assert_eq!(limits[2], ("10", None), "one good page at the smaller size");
    assert_eq!(limits[3], ("20", None), "then back to the full size");
    assert_eq!(log.len(), pages.len() + 1);
    env.stop().await;
}

#[tokio::test]
async fn rows_too_wide_for_any_page_converge_without_thrashing() {
    // The world's own limit: pages of more than 60 cells (rows × fields) answer code 1.
    let limits = SimLimits { max_page_cells: 60, ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(11, 8) }).await;
    let act = env.account(0);
    let mut cfg = fast();
    cfg.page_size = 40;
    let client = env.client(cfg);
    let pages: Vec<Vec<Value>> = client.pages(ad_insights(&act)).try_collect().await.unwrap();
    let rows = pages.concat();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let q = TruthQuery { levels: vec![InsightLevel::Ad], since: day("2026-08-10"), until: day("2026-09-02") };
    let want =
        env.sim.truth(&q).insights.iter().filter(|r| r.account_id == act.trim_start_matches("act_")).count();
    assert_eq!(rows.len(), want);
    let stats = env.sim.stats();
    let failed = stats.log.iter().filter(|r| r.error_code == Some(1)).count();
    assert!(failed > 0, "the limit was hit");
    assert!(failed <= 2 + pages.len().ilog2() as usize * 2, "{failed} failures for {} pages", pages.len());
    env.stop().await;
}

#[tokio::test]
async fn whole_query_too_big_is_returned_for_the_caller_to_split() {
    let limits = SimLimits { max_query_cells: 10, ..SimLimits::default() };
    let env = start(SimConfig { limits, ..world(11, 8) }).await;
    let act = env.account(1);
    let client = env.client(fast());
    let err = client.pages(ad_insights(&act)).try_collect::<Vec<_>>().await.unwrap_err();
    assert!(
        matches!(err, GraphError::TooMuchData { ref account, .. } if account.as_deref() == Some(act.as_str())),
        "{err:?}"
    );
    let stats = env.sim.stats();
    assert_eq!(calls(&stats, "GET", &format!("{act}/insights")).len(), 1, "no page-size games");
    assert_eq!(stats.errors_by_code.get("100/1487534"), Some(&1));
    env.stop().await;
}
