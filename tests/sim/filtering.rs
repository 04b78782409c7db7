//! Default listings hide ARCHIVED/DELETED; `filtering` on effective_status and updated_time;
//! the same trap on insights.

use crate::support::sim::*;
use serde_json::Value;
use std::collections::BTreeSet;

fn statuses(rows: &[Value]) -> BTreeSet<String> {
    rows.iter().map(|r| r["effective_status"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn default_listing_hides_archived_and_deleted() {
    let env = start(world(7, 8)).await;
    let act = env.account(0);
    let path = format!("{act}/campaigns");
    let (default_rows, _) = env.collect(&path, &[("fields", "id,effective_status"), ("limit", "100")]).await;
    let seen = statuses(&default_rows);
    assert!(!seen.contains("ARCHIVED") && !seen.contains("DELETED"), "{seen:?}");
    let filter = all_statuses("campaign");
    let (all, _) = env.collect(&path, &[("fields", "id,effective_status"), ("filtering", &filter)]).await;
    assert_eq!(all.len(), 8);
    let seen = statuses(&all);
    for s in ["ACTIVE", "PAUSED", "ARCHIVED", "DELETED", "WITH_ISSUES", "IN_PROCESS"] {
        assert!(seen.contains(s), "{s} missing from {seen:?}");
    }
    // The `effective_status` edge parameter works as well.
    let only = env
        .collect(&path, &[("fields", "id,effective_status"), ("effective_status", r#"["DELETED"]"#)])
        .await
        .0;
    assert_eq!(statuses(&only), BTreeSet::from(["DELETED".to_string()]));
    // Deleted objects stay readable by id.
    let deleted = only[0]["id"].as_str().unwrap();
    let node = env.get(deleted, &[("fields", "id,effective_status")]).await;
    assert_eq!(node.body["effective_status"], "DELETED");
    env.server.shutdown().await;
}

#[tokio::test]
async fn every_ad_status_exists_and_children_inherit() {
    let env = start(world(7, 8)).await;
    let mut seen = BTreeSet::new();
    for a in 0..3 {
        let filter = all_statuses("ad");
        let rows = env
            .collect(
                &format!("{}/ads", env.account(a)),
                &[("fields", "id,effective_status"), ("filtering", &filter)],
            )
            .await
            .0;
        seen.extend(statuses(&rows));
    }
    for s in ["ACTIVE", "PAUSED", "DELETED", "ARCHIVED", "PENDING_REVIEW", "DISAPPROVED", "CAMPAIGN_PAUSED"] {
        assert!(seen.contains(s), "{s} missing from {seen:?}");
    }
    env.server.shutdown().await;
}

#[tokio::test]
async fn updated_time_greater_than_filters_incrementally() {
    let env = start(world(7, 8)).await;
    let act = env.account(0);
    let path = format!("{act}/campaigns");
    let filter = all_statuses("campaign");
    let all = env.collect(&path, &[("fields", "id,updated_time"), ("filtering", &filter)]).await.0;
    let times: Vec<i64> = all
        .iter()
        .map(|r| {
            chrono::DateTime::parse_from_str(r["updated_time"].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S%z")
                .unwrap()
                .timestamp()
        })
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    let cut = sorted[sorted.len() / 2];
    let f = format!(
        r#"[{{"field":"campaign.updated_time","operator":"GREATER_THAN","value":{cut}}},{{"field":"campaign.effective_status","operator":"IN","value":{ALL_STATUSES}}}]"#
    );
    let newer = env.collect(&path, &[("fields", "id,updated_time"), ("filtering", &f)]).await.0;
    assert_eq!(newer.len(), times.iter().filter(|t| **t > cut).count());
    assert!(!newer.is_empty());
    // An unknown filter field is refused like Meta does.
    let bad = env
        .get(&path, &[("filtering", r#"[{"field":"campaign.colour","operator":"IN","value":["x"]}]"#)])
        .await;
    assert_eq!((bad.status.as_u16(), bad.code()), (400, 100));
    env.server.shutdown().await;
}

#[tokio::test]
async fn insights_of_deleted_objects_need_an_effective_status_filter() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let act = env.account(0);
    let path = format!("{act}/insights");
    let base = [
        ("level", "campaign"),
        ("time_increment", "1"),
        ("fields", "campaign_id,spend"),
        ("date_preset", "last_30d"),
        ("limit", "500"),
    ];
    let plain = env.collect(&path, &base).await.0;
    let filter = all_statuses("campaign");
    let mut q = base.to_vec();
    q.push(("filtering", &filter));
    let filtered = env.collect(&path, &q).await.0;
    assert!(filtered.len() > plain.len(), "archived/deleted campaigns' rows appear only with the filter");
    // The truth includes them: the filtered answer is what a correct sync stores.
    let statuses = env
        .collect(&format!("{act}/campaigns"), &[("fields", "id,effective_status"), ("filtering", &filter)])
        .await
        .0;
    let hidden: BTreeSet<String> = statuses
        .iter()
        .filter(|c| matches!(c["effective_status"].as_str(), Some("ARCHIVED" | "DELETED")))
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(plain.iter().all(|r| !hidden.contains(r["campaign_id"].as_str().unwrap())));
    assert!(filtered.iter().any(|r| hidden.contains(r["campaign_id"].as_str().unwrap())));
    let _ = sim;
    env.server.shutdown().await;
}
