//! Changes between syncs: updated_time bumps, status and budget edits, restatements.

use crate::support::sim::*;
use meta_ads_sync::model::InsightLevel;
use meta_ads_sync::sim::{Mutation, TruthQuery};
use std::time::Duration;

fn ts(v: &serde_json::Value) -> i64 {
    chrono::DateTime::parse_from_str(v.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S%z").unwrap().timestamp()
}

#[tokio::test]
async fn edits_bump_updated_time_and_show_in_incremental_listings() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let act = env.account(0);
    let campaigns =
        env.get(&format!("{act}/campaigns"), &[("fields", "id,updated_time,effective_status")]).await.data();
    let target = campaigns.iter().find(|c| c["effective_status"] == "ACTIVE").unwrap();
    let id = target["id"].as_str().unwrap().to_string();
    let before = ts(&target["updated_time"]);
    let cut = sim.now().timestamp();
    sim.advance_clock(Duration::from_secs(10));
    sim.mutate(Mutation::Pause { object_id: id.clone() }).unwrap();
    let after = env.get(&id, &[("fields", "updated_time,effective_status,status")]).await;
    assert_eq!(after.body["effective_status"], "PAUSED");
    assert!(ts(&after.body["updated_time"]) > before.max(cut));
    let f = format!(r#"[{{"field":"campaign.updated_time","operator":"GREATER_THAN","value":{cut}}}]"#);
    let changed = env.get(&format!("{act}/campaigns"), &[("fields", "id"), ("filtering", &f)]).await.data();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["id"], id.as_str());
    // Children show CAMPAIGN_PAUSED and were touched too.
    let f = format!(r#"[{{"field":"adset.updated_time","operator":"GREATER_THAN","value":{cut}}}]"#);
    let sets = env
        .get(&format!("{id}/adsets"), &[("fields", "id,effective_status"), ("filtering", &f)])
        .await
        .data();
    assert!(!sets.is_empty());
    assert!(
        sets.iter().all(|s| s["effective_status"] == "CAMPAIGN_PAUSED" || s["effective_status"] == "PAUSED")
    );
    // Deleting hides it from default listings; by id it still reads DELETED.
    sim.mutate(Mutation::Delete { object_id: id.clone() }).unwrap();
    let listed = env.get(&format!("{act}/campaigns"), &[("fields", "id"), ("limit", "100")]).await.data();
    assert!(listed.iter().all(|c| c["id"] != id.as_str()));
    assert_eq!(env.get(&id, &[("fields", "effective_status")]).await.body["effective_status"], "DELETED");
    env.server.shutdown().await;
}

#[tokio::test]
async fn budget_edits_through_the_graph_api() {
    let env = start(world(7, 8)).await;
    let act = env.account(0);
    let sets = env
        .get(&format!("{act}/adsets"), &[("fields", "id,daily_budget,updated_time"), ("limit", "100")])
        .await
        .data();
    let set = sets.iter().find(|s| s["daily_budget"].is_string()).expect("an ad set with its own budget");
    let id = set["id"].as_str().unwrap();
    env.server.sim().advance_clock(Duration::from_secs(5));
    let r = env.post(id, &[("daily_budget", "12345")]).await;
    assert_eq!(r.body["success"], true);
    let now = env.get(id, &[("fields", "daily_budget,updated_time")]).await;
    assert_eq!(now.body["daily_budget"], "12345");
    assert!(ts(&now.body["updated_time"]) > ts(&set["updated_time"]));
    env.server.shutdown().await;
}

#[tokio::test]
async fn restatements_change_recent_days_only() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let act = env.account(0);
    let today = sim.today(&act).unwrap();
    let q = TruthQuery {
        levels: vec![InsightLevel::Account],
        since: today - chrono::Duration::days(20),
        until: today,
    };
    let before = sim.truth(&q).insights;
    sim.mutate(Mutation::RestateInsights { account_id: act.clone(), days: 3 }).unwrap();
    let after = sim.truth(&q).insights;
    let recent = today - chrono::Duration::days(2);
    let key = |r: &meta_ads_sync::model::InsightRow| (r.account_id.clone(), r.date);
    for b in before.iter().filter(|r| r.account_id == act.trim_start_matches("act_")) {
        let a = after.iter().find(|a| key(a) == key(b));
        if b.date < recent {
            assert_eq!(Some(b), a, "older days do not move");
        }
    }
    let changed = before
        .iter()
        .filter(|b| b.account_id == act.trim_start_matches("act_") && b.date >= recent)
        .filter(|b| after.iter().find(|a| key(a) == key(b)) != Some(*b))
        .count();
    assert!(changed >= 1, "recent days are restated");
    env.server.shutdown().await;
}
