//! Ground truth: exactly what a correct sync stores — every account, every campaign, ad set,
//! ad and creative whatever its status, and daily insights at the requested levels including
//! the rows of archived and deleted objects (which default API listings hide).

use super::catalog::*;
use super::ids::Kind;
use super::insights::dates::Increment;
use super::insights::engine::Plan;
use super::insights::row::truth_row;
use super::names;
use super::render::targeting;
use super::world::{World, day_number, local_day};
use crate::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which insights the truth covers: levels and an inclusive date range (each account's own
/// calendar days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthQuery {
    /// Insights levels to include.
    pub levels: Vec<InsightLevel>,
    /// First day.
    pub since: NaiveDate,
    /// Last day.
    pub until: NaiveDate,
}

/// Warehouse rows a correct sync must hold (`synced_at` = Unix epoch; compare without it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// Ad accounts.
    pub accounts: Vec<AdAccountRow>,
    /// Campaigns, all statuses.
    pub campaigns: Vec<CampaignRow>,
    /// Ad sets, all statuses.
    pub ad_sets: Vec<AdSetRow>,
    /// Ads, all statuses.
    pub ads: Vec<AdRow>,
    /// Creatives.
    pub creatives: Vec<AdCreativeRow>,
    /// Daily insights rows at the requested levels.
    pub insights: Vec<InsightRow>,
}

fn ts(unix: i64) -> Option<DateTime<Utc>> {
    (unix > 0).then(|| DateTime::from_timestamp(unix, 0)).flatten()
}

fn major(minor: u64, offset: u64) -> Option<Decimal> {
    (minor > 0).then(|| Decimal::from(minor) / Decimal::from(offset))
}

/// Builds the truth at `now`.
pub(crate) fn build(w: &World, q: &TruthQuery, now: DateTime<Utc>) -> Truth {
    let epoch = DateTime::UNIX_EPOCH;
    let mut t = Truth::default();
    for a in 0..w.accounts.len() {
        let acc = &w.accounts[a];
        let (code, offset) = w.currency(a);
        t.accounts.push(AdAccountRow {
            account_id: w.ids.str(Kind::Account, a),
            name: names::account(w, a),
            currency: code.to_string(),
            timezone_name: acc.tz.name().to_string(),
            account_status: account_status_name(acc.status).to_string(),
            account_status_code: acc.status as i32,
            business_id: Some(w.ids.str(Kind::Business, acc.business as usize)),
            amount_spent: Some(Decimal::from(acc.amount_spent) / Decimal::from(offset)),
            created_time: ts(acc.created),
            synced_at: epoch,
        });
        let (c0, c1) = acc.campaigns;
        for c in c0 as usize..c1 as usize {
            let camp = &w.campaigns[c];
            let eff = EFFECTIVE[w.campaign_status(c) as usize];
            let objective = OBJECTIVES[camp.objective as usize];
            t.campaigns.push(CampaignRow {
                campaign_id: w.ids.str(Kind::Campaign, c),
                account_id: w.ids.str(Kind::Account, a),
                name: names::campaign(w, c),
                status: platform_status(eff).to_string(),
                effective_status: eff.to_string(),
                configured_status: Some(EFFECTIVE[camp.configured as usize].to_string()),
                objective: Some(objective.to_string()),
                objective_type: Some(objective_type(objective).to_string()),
                daily_budget: major(camp.daily_budget, offset),
                lifetime_budget: major(camp.lifetime_budget, offset),
                bid_strategy: camp.cbo().then(|| BID_STRATEGIES[camp.bid_strategy as usize].to_string()),
                buying_type: Some("AUCTION".to_string()),
                start_time: ts(camp.start),
                stop_time: ts(camp.stop),
                created_time: ts(camp.created),
                updated_time: ts(camp.updated),
                synced_at: epoch,
            });
            let (s0, s1) = camp.adsets;
            for s in s0 as usize..s1 as usize {
                push_adset(w, &mut t, a, c, s, offset);
            }
        }
    }
    for level in &q.levels {
        for a in 0..w.accounts.len() {
            insights(w, &mut t, *level, a, q, now);
        }
    }
    t
}

fn push_adset(w: &World, t: &mut Truth, a: usize, c: usize, s: usize, offset: u64) {
    let epoch = DateTime::UNIX_EPOCH;
    let set = &w.adsets[s];
    let eff = EFFECTIVE[w.adset_status(s) as usize];
    let (goal, billing) = OPTIMIZATION[set.optimization as usize];
    t.ad_sets.push(AdSetRow {
        ad_set_id: w.ids.str(Kind::AdSet, s),
        campaign_id: w.ids.str(Kind::Campaign, c),
        account_id: w.ids.str(Kind::Account, a),
        name: names::adset(w, s),
        status: platform_status(eff).to_string(),
        effective_status: eff.to_string(),
        configured_status: Some(EFFECTIVE[set.configured as usize].to_string()),
        daily_budget: major(set.daily_budget, offset),
        lifetime_budget: major(set.lifetime_budget, offset),
        optimization_goal: Some(goal.to_string()),
        billing_event: Some(billing.to_string()),
        bid_amount: major(set.bid_amount, offset),
        targeting: serde_json::from_str(&targeting(w, s)).ok(),
        start_time: ts(set.start),
        end_time: ts(set.end),
        created_time: ts(set.created),
        updated_time: ts(set.updated),
        synced_at: epoch,
    });
    let (d0, d1) = set.ads;
    for d in d0 as usize..d1 as usize {
        let ad = &w.ads[d];
        let eff = EFFECTIVE[w.ad_status(d) as usize];
        t.ads.push(AdRow {
            ad_id: w.ids.str(Kind::Ad, d),
            ad_set_id: w.ids.str(Kind::AdSet, s),
            campaign_id: w.ids.str(Kind::Campaign, c),
            account_id: w.ids.str(Kind::Account, a),
            name: names::ad(w, d),
            status: platform_status(eff).to_string(),
            effective_status: eff.to_string(),
            configured_status: Some(EFFECTIVE[ad.configured as usize].to_string()),
            creative_id: Some(w.ids.str(Kind::Creative, d)),
            created_time: ts(ad.created),
            updated_time: ts(ad.updated),
            synced_at: epoch,
        });
        t.creatives.push(AdCreativeRow {
            creative_id: w.ids.str(Kind::Creative, d),
            account_id: w.ids.str(Kind::Account, a),
            name: Some(names::creative(w, d)),
            status: Some(names::creative_status(w, d).to_string()),
            title: Some(names::creative_title(w, d)),
            body: Some(names::creative_body(w, d)),
            object_type: Some(names::creative_object_type(w, d).to_string()),
            thumbnail_url: Some(names::creative_thumbnail(w, d)),
            image_url: Some(names::creative_image(w, d)),
            call_to_action_type: Some(names::creative_cta(w, d).to_string()),
            synced_at: epoch,
        });
    }
}

fn insights(w: &World, t: &mut Truth, level: InsightLevel, a: usize, q: &TruthQuery, now: DateTime<Utc>) {
    let acc = &w.accounts[a];
    let today = local_day(acc.tz, now.timestamp());
    let (since, until) = (day_number(q.since), day_number(q.until));
    let (lo, hi) = match level {
        InsightLevel::Account => (a, a + 1),
        InsightLevel::Campaign => (acc.campaigns.0 as usize, acc.campaigns.1 as usize),
        InsightLevel::AdSet => w.account_adsets(a),
        InsightLevel::Ad => w.account_ads(a),
    };
    let plan = Plan {
        account: a,
        level,
        lo,
        hi,
        buckets: super::insights::dates::buckets(Increment::Days(1), since, until),
        data_days: (acc.hist_start, today),
        filters: Vec::new(),
        // The truth shows every status: no default hiding.
        status_filtered: true,
        fields: Vec::new(),
        windows: Vec::new(),
        action_keys: Vec::new(),
        sort: None,
        summary: Vec::new(),
    };
    plan.walk(w, (lo, 0), |o, b, c| {
        t.insights.push(truth_row(w, &plan, o, b, c));
        true
    });
}
