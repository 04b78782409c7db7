//! Cursor paging quirks (docs/graph-api.md §3).

use crate::support::sim::*;
use meta_ads_sync::sim::SimConfig;

#[tokio::test]
async fn cursors_are_opaque_next_only_when_more_and_after_on_the_last_page() {
    let env = start(world(7, 8)).await;
    let act = env.account(0);
    let path = format!("{act}/ads");
    let filter = all_statuses("ad");
    let q = [("fields", "id"), ("limit", "10"), ("filtering", filter.as_str())];
    let first = env.get(&path, &q).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.data().len(), 10);
    let after = first.body["paging"]["cursors"]["after"].as_str().unwrap();
    assert!(!after.chars().all(|c| c.is_ascii_digit()), "cursor must not be a bare offset: {after}");
    let next = first.body["paging"]["next"].as_str().expect("next when more rows");
    assert!(next.contains("after="), "{next}");
    assert!(!next.contains("access_token"), "a header token must not be copied into next: {next}");

    let (rows, pages) = env.collect(&path, &q).await;
    assert_eq!(rows.len(), 32, "8 campaigns × 2 ad sets × 2 ads");
    assert_eq!(pages, 4);
    let ids: std::collections::BTreeSet<_> =
        rows.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 32, "no duplicates across pages");

    // The last page keeps `cursors.after` but has no `next`.
    let mut page = first;
    while let Some(n) = page.body["paging"]["next"].as_str().map(str::to_string) {
        page = env.get_url(&n, &[], Some(&env.token)).await;
    }
    assert!(page.body["paging"]["cursors"]["after"].is_string());
    assert!(page.body["paging"].get("next").is_none());
    // Using that `after` anyway gives an empty page without `next`.
    let after = page.body["paging"]["cursors"]["after"].as_str().unwrap().to_string();
    let beyond =
        env.get(&path, &[("fields", "id"), ("limit", "10"), ("filtering", &filter), ("after", &after)]).await;
    assert!(beyond.data().is_empty());
    assert!(beyond.body["paging"]["next"].is_null());
    env.server.shutdown().await;
}

#[tokio::test]
async fn empty_pages_with_next_do_not_lose_rows() {
    let env = start(SimConfig { empty_page_rate: 1.0, ..world(7, 8) }).await;
    let act = env.account(1);
    let q = [("level", "ad"), ("time_increment", "1"), ("fields", "ad_id,spend"), ("limit", "50")];
    let (rows, pages) = env.collect(&format!("{act}/insights"), &q).await;
    let stats = env.server.sim().stats();
    let empty_pages = stats.log.iter().filter(|l| l.insights && l.rows == 0 && l.status == 200).count();
    assert!(empty_pages >= 1, "every continuation page is first served empty");
    assert_eq!(pages, empty_pages * 2 + 1, "each continuation: an empty page, then the real one");
    let big = env
        .get(
            &format!("{act}/insights"),
            &[("level", "ad"), ("time_increment", "1"), ("fields", "ad_id,spend"), ("limit", "5000")],
        )
        .await;
    assert_eq!(rows, big.data(), "the same rows, in the same order, whatever the paging");
    env.server.shutdown().await;
}

#[tokio::test]
async fn a_garbled_cursor_is_a_100() {
    let env = start(world(7, 8)).await;
    let act = env.account(0);
    let r = env.get(&format!("{act}/campaigns"), &[("after", "bm90LWEtY3Vyc29y")]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), 100);
    env.server.shutdown().await;
}
