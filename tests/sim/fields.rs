//! Fields per node type: every name of the Business SDK's `Field` class is accepted on its
//! own node type, a name of another node type is refused with Meta's error, and the
//! documented exceptions stay refused.

use crate::support::sim::*;
use serde_json::Value;

/// The generated list `file` (src/sim/fields/*.txt), as the simulator embeds it.
fn list(file: &str) -> Vec<String> {
    let path = format!("{}/src/sim/fields/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Id of the first object of an edge, whatever its status.
async fn first(env: &Env, edge: &str, entity: &str) -> String {
    let path = format!("{}/{edge}", env.account(0));
    let filter = all_statuses(entity);
    let mut q = vec![("limit", "1")];
    if !entity.is_empty() {
        q.push(("filtering", filter.as_str()));
    }
    let r = env.get(&path, &q).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.data()[0]["id"].as_str().unwrap().to_string()
}

struct Nodes {
    account: String,
    campaign: String,
    adset: String,
    ad: String,
    creative: String,
}

async fn nodes(env: &Env) -> Nodes {
    Nodes {
        account: env.account(0),
        campaign: first(env, "campaigns", "campaign").await,
        adset: first(env, "adsets", "adset").await,
        ad: first(env, "ads", "ad").await,
        creative: first(env, "adcreatives", "").await,
    }
}

fn refusal(r: &Answer, field: &str, node: &str) {
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.code(), 100);
    assert_eq!(r.subcode(), None);
    assert_eq!(r.body["error"]["type"], "OAuthException");
    assert_eq!(
        r.body["error"]["message"],
        format!("(#100) Tried accessing nonexisting field ({field}) on node type ({node})")
    );
}

#[tokio::test]
async fn every_sdk_field_is_accepted_on_its_own_node_type() {
    let env = start(world(7, 8)).await;
    let n = nodes(&env).await;
    for (id, file) in [
        (&n.account, "ad_account.txt"),
        (&n.campaign, "campaign.txt"),
        (&n.adset, "ad_set.txt"),
        (&n.ad, "ad.txt"),
        (&n.creative, "ad_creative.txt"),
    ] {
        let names = list(file);
        assert!(names.len() > 40, "{file}");
        let r = env.get(id, &[("fields", &names.join(","))]).await;
        assert_eq!(r.status, 200, "{file}: {}", r.body);
        let body = r.body.as_object().unwrap();
        assert!(body.keys().all(|k| names.contains(k)), "{file}: {:?}", body.keys());
        assert_eq!(body["id"], Value::String(id.clone()));
    }
    // Values where the world has one: the ad set's bid (an integer) and targeting, and the
    // ad's bid, which is its ad set's.
    let path = format!("{}/adsets", n.account);
    let sets = env.get(&path, &[("fields", "id,bid_amount,targeting"), ("limit", "100")]).await.data();
    let set = sets.iter().find(|s| s.get("bid_amount").is_some()).expect("an ad set with a bid");
    assert!(set["bid_amount"].is_u64() && set["targeting"]["geo_locations"].is_object());
    let ads = env.get(&format!("{}/ads", set["id"].as_str().unwrap()), &[("fields", "id,bid_amount")]).await;
    for ad in ads.data() {
        assert_eq!(ad["bid_amount"], set["bid_amount"], "{ad}");
    }
    // The async report run node has the SDK's AdReportRun list.
    let run = env.post(&format!("{}/insights", n.account), &[("level", "campaign")]).await;
    let run = run.body["report_run_id"].as_str().unwrap().to_string();
    let r = env.get(&run, &[("fields", &list("ad_report_run.txt").join(","))]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["async_status"].is_string());
}

#[tokio::test]
async fn a_field_of_another_node_type_is_refused() {
    let env = start(world(7, 8)).await;
    let n = nodes(&env).await;
    // Before, one shared list let a campaign answer 200 {} here.
    let r = env.get(&n.campaign, &[("fields", "object_story_spec,image_hash")]).await;
    refusal(&r, "object_story_spec", "Campaign");
    refusal(&env.get(&n.campaign, &[("fields", "id,image_hash")]).await, "image_hash", "Campaign");
    refusal(&env.get(&n.adset, &[("fields", "id,objective")]).await, "objective", "AdSet");
    refusal(&env.get(&n.ad, &[("fields", "daily_budget")]).await, "daily_budget", "Adgroup");
    refusal(&env.get(&n.creative, &[("fields", "effective_status")]).await, "effective_status", "AdCreative");
    refusal(&env.get(&n.account, &[("fields", "targeting")]).await, "targeting", "AdAccount");
    // The same on listings and nested in a JSON array.
    let r =
        env.get(&format!("{}/campaigns", n.account), &[("fields", r#"["id","object_story_spec"]"#)]).await;
    refusal(&r, "object_story_spec", "Campaign");
    let r = env.get(&format!("{}/ads", n.account), &[("fields", "id,creative{id},daily_budget")]).await;
    refusal(&r, "daily_budget", "Adgroup");
}

#[tokio::test]
async fn insights_accept_every_sdk_field_but_the_documented_exceptions() {
    let env = start(world(7, 8)).await;
    let path = format!("{}/insights", env.account(0));
    let exceptions = ["conversion_lead_rate", "cost_per_conversion_lead", "adset_start"];
    let names: Vec<String> =
        list("ads_insights.txt").into_iter().filter(|f| !exceptions.contains(&f.as_str())).collect();
    assert!(names.len() > 200);
    let r = env.get(&path, &[("fields", &names.join(",")), ("date_preset", "last_7d")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let row = r.data()[0].as_object().unwrap().clone();
    assert!(row.keys().all(|k| names.contains(k)), "{:?}", row.keys());
    assert!(row.contains_key("spend") && row.contains_key("inline_link_clicks"), "{row:?}");
    for f in exceptions {
        let r = env.get(&path, &[("fields", &format!("spend,{f}"))]).await;
        refusal(&r, f, "AdsInsights");
    }
    let r = env.get(&path, &[("fields", "spend,bid_amount")]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), 100);
    assert_eq!(
        r.body["error"]["message"],
        "(#100) bid_amount is not valid for fields param. please check \
         https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values"
    );
}

#[tokio::test]
async fn nested_objects_have_their_own_node_types_fields() {
    let env = start(world(7, 8)).await;
    let n = nodes(&env).await;
    let r =
        env.get(&n.ad, &[("fields", "creative{title,object_type},adset{name,bid_amount},campaign")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let creative =
        env.get(r.body["creative"]["id"].as_str().unwrap(), &[("fields", "id,title,object_type")]).await;
    assert_eq!(r.body["creative"], creative.body);
    let adset_id = r.body["adset"]["id"].as_str().unwrap();
    let adset = env.get(adset_id, &[("fields", "id,name,bid_amount")]).await;
    assert_eq!(r.body["adset"], adset.body);
    assert_eq!(r.body["campaign"].as_object().unwrap().keys().collect::<Vec<_>>(), ["id"]);
    let r = env.get(&n.ad, &[("fields", "id,creative{objective}")]).await;
    refusal(&r, "objective", "AdCreative");
    let r = env.get(&n.account, &[("fields", "business{id,targeting}")]).await;
    refusal(&r, "targeting", "Business");
}
