//! After changes on Meta's side, an incremental sync changes exactly the rows the truth
//! changed, asks only for what changed since the cursors, and moves the cursors forward.

use std::collections::BTreeMap;

use meta_ads_sync::sim::{Mutation, SimServer, Truth};
use meta_ads_sync::warehouse::Snapshot;
use meta_ads_sync::warehouse::testing::TestDb;

use crate::support::backends::both_backends_async;
use crate::support::sync::{assert_matches_truth, config_for, exit_code, small_world, sync_once, truth};

/// Every row as (table, key) → its content without `synced_at`, for diffing two states.
fn rows_of(
    accounts: &[meta_ads_sync::model::AdAccountRow],
    campaigns: &[meta_ads_sync::model::CampaignRow],
    ad_sets: &[meta_ads_sync::model::AdSetRow],
    ads: &[meta_ads_sync::model::AdRow],
    insights: &[meta_ads_sync::model::InsightRow],
) -> BTreeMap<(String, String), String> {
    let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let mut out = BTreeMap::new();
    for r in accounts {
        out.insert(
            ("account".into(), r.account_id.clone()),
            format!("{:?}", {
                let mut r = r.clone();
                r.synced_at = epoch;
                r
            }),
        );
    }
    for r in campaigns {
        out.insert(
            ("campaign".into(), r.campaign_id.clone()),
            format!("{:?}", {
                let mut r = r.clone();
                r.synced_at = epoch;
                r
            }),
        );
    }
    for r in ad_sets {
        out.insert(
            ("ad_set".into(), r.ad_set_id.clone()),
            format!("{:?}", {
                let mut r = r.clone();
                r.synced_at = epoch;
                r
            }),
        );
    }
    for r in ads {
        out.insert(
            ("ad".into(), r.ad_id.clone()),
            format!("{:?}", {
                let mut r = r.clone();
                r.synced_at = epoch;
                r
            }),
        );
    }
    for r in insights {
        let key = format!("{}/{}/{}", r.level, r.object_id, r.date);
        // Normalise decimals through their value so 1.50 and 1.5 compare equal.
        out.insert(
            ("insight".into(), key),
            format!("{:?}", {
                let mut r = r.clone();
                r.synced_at = epoch;
                r.spend = r.spend.normalize();
                r
            }),
        );
    }
    out
}

fn of_snapshot(s: &Snapshot) -> BTreeMap<(String, String), String> {
    rows_of(&s.accounts, &s.campaigns, &s.ad_sets, &s.ads, &s.insights)
}

fn of_truth(t: &Truth) -> BTreeMap<(String, String), String> {
    rows_of(&t.accounts, &t.campaigns, &t.ad_sets, &t.ads, &t.insights)
}

fn changed(
    before: &BTreeMap<(String, String), String>,
    after: &BTreeMap<(String, String), String>,
) -> Vec<(String, String)> {
    let mut keys: Vec<_> = before.keys().chain(after.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter(|k| before.get(k) != after.get(k)).collect()
}

async fn incremental_sync_follows_changes(open: fn() -> TestDb) {
    let db = open();
    let server = SimServer::start(small_world()).await.unwrap();
    let sim = server.sim();
    let cfg = config_for(&server, db.url());
    let wh = db.migrated();
    assert_eq!(exit_code(&sync_once(&cfg, &wh).await), 0);
    let truth_before = truth(&server);
    let wh_before = wh.snapshot().unwrap();
    let cursors_before = wh.cursors().unwrap();

    let account = truth_before.accounts[0].account_id.clone();
    let campaigns: Vec<_> =
        truth_before.campaigns.iter().filter(|c| c.account_id == account && c.status == "active").collect();
    let ad_sets: Vec<_> =
        truth_before.ad_sets.iter().filter(|c| c.account_id == account && c.status == "active").collect();
    let ads: Vec<_> =
        truth_before.ads.iter().filter(|c| c.account_id == account && c.status == "active").collect();
    let cbo = truth_before
        .campaigns
        .iter()
        .find(|c| c.daily_budget.is_some())
        .expect("a campaign with a daily budget");
    for m in [
        Mutation::SetBudget {
            object_id: cbo.campaign_id.clone(),
            daily_budget: Some(123_456),
            lifetime_budget: None,
        },
        Mutation::Pause { object_id: ad_sets[0].ad_set_id.clone() },
        Mutation::Delete { object_id: ads[0].ad_id.clone() },
        Mutation::Archive { object_id: campaigns.last().unwrap().campaign_id.clone() },
        Mutation::RestateInsights { account_id: account.clone(), days: 3 },
    ] {
        sim.mutate(m).unwrap();
    }
    let calls_before = sim.stats().calls;
    sim.reset_stats();
    let report = sync_once(&cfg, &wh).await;
    assert_eq!(exit_code(&report), 0, "{report:?}");
    let truth_after = truth(&server);
    let wh_after = wh.snapshot().unwrap();
    assert_matches_truth(&wh_after, &truth_after);

    // The warehouse changed exactly where the truth changed.
    let truth_changes = changed(&of_truth(&truth_before), &of_truth(&truth_after));
    let wh_changes = changed(&of_snapshot(&wh_before), &of_snapshot(&wh_after));
    assert!(!truth_changes.is_empty());
    assert_eq!(wh_changes, truth_changes);
    assert!(truth_changes.iter().any(|(t, _)| t == "insight"), "restated days show");
    let deleted = wh_after.ads.iter().find(|a| a.ad_id == ads[0].ad_id).expect("deleted ad keeps its row");
    assert_eq!(deleted.status, "deleted");
    let budget = wh_after.campaigns.iter().find(|c| c.campaign_id == cbo.campaign_id).unwrap();
    assert_eq!(
        budget.daily_budget.unwrap()
            * rust_decimal::Decimal::from(if budget_offset(&wh_after, &budget.account_id) { 1 } else { 100 }),
        rust_decimal::Decimal::from(123_456)
    );

    // The second pass listed entities from the cursors (updated_time filter) and made fewer calls.
    let stats = sim.stats();
    assert!(stats.calls < calls_before, "incremental {} calls vs first {}", stats.calls, calls_before);
    let listings: Vec<_> =
        stats.log.iter().filter(|r| r.path.ends_with("/campaigns") || r.path.ends_with("/ads")).collect();
    assert!(!listings.is_empty());
    for r in listings {
        let filtering =
            r.params.iter().find(|(k, _)| k == "filtering").map(|(_, v)| v.as_str()).unwrap_or("");
        assert!(
            filtering.contains("updated_time") && filtering.contains("GREATER_THAN"),
            "{} without an updated_time bound",
            r.path
        );
    }

    // Cursors moved forward, never back.
    let after: BTreeMap<_, _> =
        wh.cursors().unwrap().into_iter().map(|c| ((c.account_id.clone(), c.stream.clone()), c)).collect();
    for c in &cursors_before {
        let a = &after[&(c.account_id.clone(), c.stream.clone())];
        assert!(a.last_success_at >= c.last_success_at, "{}/{}", c.account_id, c.stream);
        if c.stream.starts_with("insights_") || ["campaigns", "ad_sets", "ads"].contains(&c.stream.as_str()) {
            let num = |s: &Option<String>| s.clone().unwrap_or_default();
            assert!(num(&a.cursor) >= num(&c.cursor), "{}/{} moved back", c.account_id, c.stream);
        }
    }
    let moved = |stream: &str| {
        let a = &after[&(account.clone(), stream.to_string())];
        let b = cursors_before.iter().find(|c| c.account_id == account && c.stream == stream).unwrap();
        a.cursor > b.cursor
    };
    assert!(moved("campaigns") && moved("ad_sets") && moved("ads"), "entity cursors advance past the edits");
}

fn budget_offset(s: &Snapshot, account: &str) -> bool {
    let currency = &s.accounts.iter().find(|a| a.account_id == account).unwrap().currency;
    ["CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"].contains(&currency.as_str())
}

both_backends_async!(incremental_sync_follows_changes);
