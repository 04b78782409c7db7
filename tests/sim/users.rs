//! `/me/business_users` and `/act_X/assigned_users`: what Airbyte's `ad_account` stream reads
//! (a business user per business, with `business` by default; the account's assigned users
//! with `tasks` by default), the required `business` parameter, paging and field refusal.

use crate::support::sim::*;
use meta_ads_sync::sim::SimConfig;
use serde_json::Value;
use std::collections::BTreeSet;

fn ids(rows: &[Value]) -> BTreeSet<String> {
    rows.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn business_users_lists_one_user_per_business_with_the_business_by_default() {
    let env = start(world(7, 8)).await;
    let (businesses, _) = env.collect("me/businesses", &[]).await;
    assert_eq!(businesses.len(), 2);
    let r = env.get("me/business_users", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let users = r.data();
    assert_eq!(users.len(), 2, "{}", r.body);
    let served: BTreeSet<String> =
        users.iter().map(|u| u["business"]["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(served, ids(&businesses));
    let me = env.get("me", &[]).await;
    for u in &users {
        assert_eq!(u.as_object().unwrap().len(), 3, "default fields id, name, business: {u}");
        assert_eq!(u["name"], me.body["name"]);
        assert_ne!(u["id"], me.body["id"], "business-scoped id differs from the app-scoped one");
        let b = businesses.iter().find(|b| b["id"] == u["business"]["id"]).unwrap();
        assert_eq!(u["business"]["name"], b["name"]);
    }
    assert_ne!(users[0]["id"], users[1]["id"]);

    let r = env.get("me/business_users", &[("fields", "id,role,business{id}")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for u in r.data() {
        assert_eq!(u["role"], "ADMIN");
        assert_eq!(u["business"].as_object().unwrap().len(), 1, "{u}");
        assert!(u.get("name").is_none());
    }

    // Paging like every edge; the SDK sends `summary=true`.
    let r = env.get("me/business_users", &[("summary", "true"), ("limit", "1")]).await;
    assert_eq!(r.body["summary"]["total_count"], 2, "{}", r.body);
    let (paged, pages) = env.collect("me/business_users", &[("limit", "1")]).await;
    assert_eq!(pages, 2);
    assert_eq!(ids(&paged), ids(&users));
}

#[tokio::test]
async fn assigned_users_lists_the_business_users_of_the_account_with_their_tasks() {
    let env = start(world(7, 8)).await;
    let users = env.get("me/business_users", &[]).await.data();
    let account = env.account(0);
    let owner = env.get(&account, &[("fields", "business")]).await;
    assert_eq!(owner.status, 200, "{}", owner.body);
    let owner = owner.body["business"]["id"].as_str().unwrap().to_string();
    let mut assigned_somewhere = 0;
    for bu in &users {
        let b = bu["business"]["id"].as_str().unwrap();
        // Truth: the account is the business's own or one of its client accounts.
        let (owned, _) = env.collect(&format!("{b}/owned_ad_accounts"), &[("limit", "100")]).await;
        let (client, _) = env.collect(&format!("{b}/client_ad_accounts"), &[("limit", "100")]).await;
        let related = owned.iter().chain(&client).any(|a| a["id"].as_str() == Some(&account));
        assert_eq!(related || b == owner, related);
        let r = env.get(&format!("{account}/assigned_users"), &[("business", b)]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let rows = r.data();
        if !related {
            assert!(rows.is_empty(), "{}", r.body);
            continue;
        }
        assigned_somewhere += 1;
        assert_eq!(rows.len(), 2, "{}", r.body);
        // What Airbyte does: match the business user's id, read `tasks` (not asked for).
        let me = rows.iter().find(|a| a["id"] == bu["id"]).expect("the token's user is assigned");
        assert_eq!(me.as_object().unwrap().len(), 3, "default fields id, name, tasks: {me}");
        let tasks: Vec<&str> = me["tasks"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert_eq!(tasks, ["MANAGE", "ADVERTISE", "ANALYZE", "DRAFT"]);
        let other = rows.iter().find(|a| a["id"] != bu["id"]).unwrap();
        assert!(!other["tasks"].as_array().unwrap().contains(&Value::from("MANAGE")));

        let r = env
            .get(
                &format!("{account}/assigned_users"),
                &[("business", b), ("fields", "id,user_type,business")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let rows = r.data();
        assert!(rows.iter().any(|a| a["user_type"] == "SYSTEM_USER"));
        assert!(rows.iter().all(|a| a["business"]["id"] == b && a.get("tasks").is_none()));

        let (paged, pages) =
            env.collect(&format!("{account}/assigned_users"), &[("business", b), ("limit", "1")]).await;
        assert_eq!((paged.len(), pages), (2, 2));
    }
    assert!(assigned_somewhere >= 1);
}

#[tokio::test]
async fn assigned_users_requires_a_valid_business() {
    let env = start(world(7, 8)).await;
    let path = format!("{}/assigned_users", env.account(0));
    let r = env.get(&path, &[]).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, 100), "{}", r.body);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("business"), "{}", r.body);
    let r = env.get(&path, &[("business", "")]).await;
    assert_eq!(r.code(), 100, "{}", r.body);
    let r = env.get(&path, &[("business", &env.account(1))]).await;
    assert_eq!(r.code(), 100, "an ad account id is no business: {}", r.body);
}

#[tokio::test]
async fn unknown_fields_are_refused_on_both_edges() {
    let env = start(world(7, 8)).await;
    let r = env.get("me/business_users", &[("fields", "id,spend")]).await;
    assert_eq!(r.code(), 100, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("(spend) on node type (BusinessUser)"));
    let r = env.get("me/business_users", &[("fields", "business{id,spend}")]).await;
    assert_eq!(r.code(), 100, "{}", r.body);
    let b = env.get("me/businesses", &[]).await.data()[0]["id"].as_str().unwrap().to_string();
    let path = format!("{}/assigned_users", env.account(0));
    let r = env.get(&path, &[("business", &b), ("fields", "id,role")]).await;
    assert_eq!(r.code(), 100, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("(role) on node type (AssignedUser)"));
    // Every name of the SDK's classes is accepted.
    let r = env.get("me/business_users", &[("fields", &sdk("business_user.txt"))]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let all = format!("{},tasks,permitted_tasks", sdk("assigned_user.txt"));
    let r = env.get(&path, &[("business", &b), ("fields", &all)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// The generated list `file` as one `fields` value.
fn sdk(file: &str) -> String {
    let path = format!("{}/src/sim/fields/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let names: Vec<&str> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    names.join(",")
}

#[tokio::test]
async fn user_edges_serve_empty_continuation_pages_like_the_other_listings() {
    let env = start(SimConfig { empty_page_rate: 1.0, ..world(7, 8) }).await;
    let (rows, pages) = env.collect("me/business_users", &[("limit", "1")]).await;
    assert_eq!((rows.len(), pages), (2, 3), "one empty page with next before the second row");
}
