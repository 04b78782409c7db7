//! Code 190: refresh the token once and retry; without a refresh, stop with re-authorization.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::support::client::*;
use futures_util::TryStreamExt;
use meta_ads_sync::graph::{GraphError, GraphRequest};
use meta_ads_sync::sim::{Fault, FaultRule};

#[tokio::test]
async fn expired_token_then_successful_refresh_finishes_the_job() {
    let env = start(world(11, 8)).await;
    let act = env.account(0);
    let expired = env.sim.issue_token(Some(Duration::from_secs(3600)));
    env.sim.expire_token(&expired);
    let tokens = Rotating::new(expired, Some(env.sim.system_user_token()));
    let client = env.client_with(fast(), tokens.clone());
    let req = GraphRequest::get(format!("{act}/campaigns")).param("fields", "id,name").account(act.clone());
    let pages: Vec<_> = client.pages(req).try_collect().await.expect("the job finishes");
    assert!(pages.iter().map(Vec::len).sum::<usize>() > 0);
    let stats = env.sim.stats();
    let first = calls(&stats, "GET", &format!("{act}/campaigns"));
    // One 190/463, then the page again with the new token; then the rest of the listing.
    assert_eq!(first[0].error_code, Some(190));
    assert_eq!(first[0].error_subcode, Some(463));
    assert!(first[1..].iter().all(|r| r.error_code.is_none()));
    assert_eq!(first.len(), pages.len() + 1, "exactly one extra request");
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(client.stats().token_refreshes, 1);
    env.stop().await;
}

#[tokio::test]
async fn token_expiring_mid_listing_is_refreshed_once() {
    let env = start(world(11, 8)).await;
    let act = env.account(1);
    let user = env.sim.issue_token(None);
    let tokens = Rotating::new(user, Some(env.sim.system_user_token()));
    let mut cfg = fast();
    cfg.page_size = 3;
    let client = env.client_with(cfg, tokens.clone());
    // The 2nd page request expires the calling token (and answers 190/463).
    env.sim.inject(FaultRule::new(Fault::ExpireToken).on_path(&format!("{act}/campaigns")).nth(&[2]));
    let req = GraphRequest::get(format!("{act}/campaigns")).account(act.clone());
    let pages: Vec<_> = client.pages(req).try_collect().await.expect("the listing finishes");
    let stats = env.sim.stats();
    let listing = calls(&stats, "GET", &format!("{act}/campaigns"));
    assert_eq!(listing.len(), pages.len() + 1);
    assert_eq!(listing.iter().filter(|r| r.error_code == Some(190)).count(), 1);
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    env.stop().await;
}

#[tokio::test]
async fn no_refresh_possible_stops_with_reauthorization_after_one_request() {
    let env = start(world(11, 8)).await;
    let act = env.account(2);
    let expired = env.sim.issue_token(Some(Duration::from_secs(60)));
    env.sim.expire_token(&expired);
    let tokens = Rotating::new(expired, None);
    let client = env.client_with(fast(), tokens.clone());
    let err = client.call(&GraphRequest::get(act.clone()).account(act.clone())).await.unwrap_err();
    match &err {
        GraphError::NeedsReauth { account, reason } => {
            assert_eq!(account.as_deref(), Some(act.as_str()));
            assert!(reason.contains("190/463"), "{reason}");
        }
        other => panic!("expected NeedsReauth, got {other:?}"),
    }
    assert_eq!(calls(&env.sim.stats(), "GET", &act).len(), 1);
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1, "asked once, got nothing");
    env.stop().await;
}

#[tokio::test]
async fn batch_items_rejected_for_the_token_refresh_it_once() {
    let env = start(world(11, 8)).await;
    let expired = env.sim.issue_token(Some(Duration::from_secs(60)));
    env.sim.expire_token(&expired);
    let tokens = Rotating::new(expired, Some(env.sim.system_user_token()));
    let client = env.client_with(fast(), tokens.clone());
    let accounts: Vec<String> = (0..3).map(|i| env.account(i)).collect();
    let reqs = accounts
        .iter()
        .map(|a| GraphRequest::get(a.clone()).param("fields", "id").account(a.clone()))
        .collect();
    let results = client.batch(reqs).await;
    for (r, a) in results.iter().zip(&accounts) {
        assert_eq!(r.as_ref().expect("item answered")["id"], a.as_str());
    }
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1, "one refresh for all items");
    let stats = env.sim.stats();
    assert_eq!(stats.batch_items, 6, "3 rejected (403/190) + 3 re-sent");
    assert_eq!(envelopes(&stats).len(), 2);
    env.stop().await;
}
