//! The ground truth agrees with what the API serves, and with itself across levels.

use crate::support::sim::*;
use meta_ads_sync::model::{InsightLevel, InsightRow, JsonText};
use meta_ads_sync::sim::TruthQuery;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

fn dec(v: &serde_json::Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn sums_agree_across_levels_and_reach_is_not_additive() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let today = sim.today(&env.account(0)).unwrap();
    let q = TruthQuery {
        levels: InsightLevel::ALL.to_vec(),
        since: today - chrono::Duration::days(29),
        until: today,
    };
    let t = sim.truth(&q);
    assert_eq!(t.accounts.len(), 3);
    assert_eq!(t.campaigns.len(), 24);
    assert_eq!(t.ads.len(), 96);
    assert_eq!(t.creatives.len(), 96);
    assert!(t.campaigns.iter().any(|c| c.status == "deleted"), "the truth keeps deleted objects");
    let sum = |level: InsightLevel, key: &dyn Fn(&InsightRow) -> String| {
        let mut m: BTreeMap<(String, chrono::NaiveDate), (Decimal, i64, i64)> = BTreeMap::new();
        for r in t.insights.iter().filter(|r| r.level == level) {
            let e = m.entry((key(r), r.date)).or_default();
            e.0 += r.spend;
            e.1 += r.impressions;
            e.2 += r.reach.unwrap();
        }
        m
    };
    let ads_by_campaign = sum(InsightLevel::Ad, &|r| r.campaign_id.clone().unwrap());
    let campaigns = sum(InsightLevel::Campaign, &|r| r.object_id.clone());
    assert!(!campaigns.is_empty());
    for (k, (spend, imps, reach)) in &campaigns {
        let (ad_spend, ad_imps, ad_reach) = ads_by_campaign[k];
        assert_eq!((*spend, *imps), (ad_spend, ad_imps), "{k:?}");
        assert!(*reach <= ad_reach, "reach is at most the sum of the parts");
    }
    let accounts = sum(InsightLevel::Account, &|r| r.account_id.clone());
    let camps_by_account = sum(InsightLevel::Campaign, &|r| r.account_id.clone());
    for (k, v) in &accounts {
        assert_eq!((v.0, v.1), (camps_by_account[k].0, camps_by_account[k].1));
    }
    // Conversions follow omni_purchase and ROAS = value / spend.
    let r = t.insights.iter().find(|r| r.conversions.is_some()).unwrap();
    assert!(r.actions.as_ref().unwrap().as_str().contains("omni_purchase"));
    assert!(r.roas.unwrap() > Decimal::ZERO);
    env.server.shutdown().await;
}

#[tokio::test]
async fn truth_equals_what_the_api_serves_with_all_statuses() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    for a in 0..3 {
        let act = env.account(a);
        let today = sim.today(&act).unwrap();
        let since = today - chrono::Duration::days(13);
        let q = TruthQuery { levels: vec![InsightLevel::Ad], since, until: today };
        let truth: Vec<InsightRow> = sim
            .truth(&q)
            .insights
            .into_iter()
            .filter(|r| r.account_id == act.trim_start_matches("act_"))
            .collect();
        let range = format!(r#"{{"since":"{since}","until":"{today}"}}"#);
        let filter = all_statuses("ad");
        let params = [
            ("level", "ad"),
            ("time_increment", "1"),
            ("time_range", range.as_str()),
            ("filtering", filter.as_str()),
            (
                "fields",
                "ad_id,campaign_id,adset_id,impressions,reach,clicks,spend,cpm,cpc,ctr,frequency,actions,action_values,purchase_roas",
            ),
            ("limit", "200"),
        ];
        let (rows, _) = env.collect(&format!("{act}/insights"), &params).await;
        assert_eq!(rows.len(), truth.len(), "account {a}");
        for (row, t) in rows.iter().zip(&truth) {
            assert_eq!(row["ad_id"].as_str(), t.ad_id.as_deref());
            assert_eq!(row["date_start"].as_str().unwrap(), t.date.to_string());
            assert_eq!(dec(&row["spend"]), t.spend);
            assert_eq!(row["impressions"].as_str().unwrap().parse::<i64>().unwrap(), t.impressions);
            assert_eq!(row["reach"].as_str().unwrap().parse::<i64>().ok(), t.reach);
            assert_eq!(Some(dec(&row["cpm"])), t.cpm);
            assert_eq!(row.get("cpc").map(dec), t.cpc);
            assert_eq!(row.get("actions").cloned().map(JsonText::from), t.actions);
            assert_eq!(row.get("purchase_roas").cloned().map(JsonText::from), t.purchase_roas);
        }
        // Zero-decimal currencies: JPY spend has no decimals.
        if a == 2 {
            assert!(rows.iter().all(|r| !r["spend"].as_str().unwrap().contains('.')));
        }
    }
    env.server.shutdown().await;
}

#[tokio::test]
async fn coarser_buckets_add_up_to_the_daily_rows() {
    let env = start(world(7, 8)).await;
    let act = env.account(1);
    let path = format!("{act}/insights");
    let range = r#"{"since":"2026-08-10","until":"2026-09-02"}"#;
    let daily = env
        .collect(
            &path,
            &[
                ("level", "account"),
                ("time_increment", "1"),
                ("time_range", range),
                ("fields", "spend,impressions,reach"),
            ],
        )
        .await
        .0;
    let total = env
        .get(&path, &[("level", "account"), ("time_range", range), ("fields", "spend,impressions,reach")])
        .await
        .data();
    assert_eq!(total.len(), 1);
    assert_eq!(total[0]["date_start"], "2026-08-10");
    assert_eq!(total[0]["date_stop"], "2026-09-02");
    let spend: Decimal = daily.iter().map(|r| dec(&r["spend"])).sum();
    assert_eq!(dec(&total[0]["spend"]), spend);
    let reach_sum: i64 = daily.iter().map(|r| r["reach"].as_str().unwrap().parse::<i64>().unwrap()).sum();
    let reach: i64 = total[0]["reach"].as_str().unwrap().parse().unwrap();
    assert!(reach < reach_sum, "people reached on several days count once");
    let weekly = env
        .collect(
            &path,
            &[("level", "account"), ("time_increment", "7"), ("time_range", range), ("fields", "spend")],
        )
        .await
        .0;
    assert_eq!(weekly.len(), 4);
    assert_eq!(weekly.iter().map(|r| dec(&r["spend"])).sum::<Decimal>(), spend);
    let monthly = env
        .collect(
            &path,
            &[
                ("level", "account"),
                ("time_increment", "monthly"),
                ("time_range", range),
                ("fields", "spend"),
            ],
        )
        .await
        .0;
    assert_eq!(monthly.len(), 2);
    assert_eq!(monthly[1]["date_start"], "2026-09-01");
    env.server.shutdown().await;
}
