//! One insights row: the wire JSON (every metric a string, absent metrics omitted, action
//! arrays) and the same values as a warehouse [`InsightRow`] for the ground truth. Both
//! go through the same formatting functions, so they agree to the digit.

use super::derived::{action_values, actions, cpc, cpm, ctr, frequency, roas};
use super::engine::{Plan, level_kind};
use super::metrics::{Counts, m, money, ratio};
use super::windows::{Split, Window};
use crate::model::{InsightLevel, InsightRow};
use crate::sim::catalog::{OBJECTIVES, OPTIMIZATION};
use crate::sim::filtering::ancestor;
use crate::sim::ids::Kind;
use crate::sim::json::{Obj, string};
use crate::sim::names;
use crate::sim::world::{World, day_date};
use rust_decimal::Decimal;
use std::str::FromStr;

/// Index in [`Counts::win`] of an action type's count.
fn count_metric(t: &str) -> usize {
    match t {
        "link_click" => m::LINK_CLICK,
        "landing_page_view" => m::LANDING_PAGE_VIEW,
        "add_to_cart" => m::ADD_TO_CART,
        "omni_purchase" => m::OMNI_PURCHASE,
        _ => m::PURCHASE,
    }
}

/// Index in [`Counts::win`] of an action type's value.
fn value_metric(t: &str) -> usize {
    if t == "omni_purchase" { m::OMNI_PURCHASE_VALUE } else { m::PURCHASE_VALUE }
}

/// Writes a list of `AdsActionStats`: the `action_breakdowns` keys, `action_type`, `value`,
/// then one key per requested window that has a value (`fmt` formats a window's amount; `None` leaves the key out).
fn write_stats(
    out: &mut String,
    entries: impl Iterator<Item = (&'static str, String)>,
    keys: &[(&'static str, String)],
    windows: &[Window],
    split: impl Fn(&'static str) -> Split,
    fmt: impl Fn(u64) -> Option<String>,
) {
    out.push('[');
    for (i, (t, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        for (k, v) in keys {
            string(out, k);
            out.push(':');
            string(out, v);
            out.push(',');
        }
        out.push_str("\"action_type\":");
        string(out, t);
        out.push_str(",\"value\":");
        string(out, &v);
        let sp = split(t);
        for w in windows {
            if let Some(x) = Some(sp.get(*w)).filter(|n| *n > 0).and_then(&fmt) {
                out.push(',');
                string(out, w.key());
                out.push(':');
                string(out, &x);
            }
        }
        out.push('}');
    }
    out.push(']');
}

/// Ancestors of a row object: (campaign, ad set, ad), where applicable to the level.
fn lineage(w: &World, level: InsightLevel, o: usize) -> (Option<usize>, Option<usize>, Option<usize>) {
    let k = level_kind(level);
    let at = |t: Kind| (level >= level_of(t)).then(|| ancestor(w, k, o, t)).flatten();
    (at(Kind::Campaign), at(Kind::AdSet), at(Kind::Ad))
}

fn level_of(k: Kind) -> InsightLevel {
    match k {
        Kind::Campaign => InsightLevel::Campaign,
        Kind::AdSet => InsightLevel::AdSet,
        Kind::Ad => InsightLevel::Ad,
        _ => InsightLevel::Account,
    }
}

/// Writes row (`o`, `b`) of `plan` with its requested fields.
pub(crate) fn write(w: &World, plan: &Plan, o: usize, b: usize, c: &Counts, out: &mut String) {
    let a = plan.account;
    let (code, offset) = w.currency(a);
    let (camp, set, ad) = lineage(w, plan.level, o);
    let reach = c.reach();
    let win = plan.windows.as_slice();
    let keys: Vec<(&'static str, String)> =
        plan.action_keys.iter().map(|k| (*k, names::page_id(w, a))).collect();
    let mut obj = Obj::new(out);
    for f in &plan.fields {
        match f.as_str() {
            "account_id" => obj.str("account_id", &w.ids.str(Kind::Account, a)),
            "account_name" => obj.str("account_name", &names::account(w, a)),
            "account_currency" => obj.str("account_currency", code),
            "campaign_id" => {
                camp.into_iter().for_each(|x| obj.str("campaign_id", &w.ids.str(Kind::Campaign, x)))
            }
            "campaign_name" => {
                camp.into_iter().for_each(|x| obj.str("campaign_name", &names::campaign(w, x)))
            }
            "adset_id" => set.into_iter().for_each(|x| obj.str("adset_id", &w.ids.str(Kind::AdSet, x))),
            "adset_name" => set.into_iter().for_each(|x| obj.str("adset_name", &names::adset(w, x))),
            "ad_id" => ad.into_iter().for_each(|x| obj.str("ad_id", &w.ids.str(Kind::Ad, x))),
            "ad_name" => ad.into_iter().for_each(|x| obj.str("ad_name", &names::ad(w, x))),
            "objective" => camp.into_iter().for_each(|x| {
                obj.str("objective", OBJECTIVES[w.campaigns[x].objective as usize]);
            }),
            "optimization_goal" => set.into_iter().for_each(|x| {
                obj.str("optimization_goal", OPTIMIZATION[w.adsets[x].optimization as usize].0);
            }),
            "buying_type" => camp.into_iter().for_each(|_| obj.str("buying_type", "AUCTION")),
            "impressions" => obj.uint_str("impressions", c.impressions),
            "reach" => obj.uint_str("reach", reach),
            "clicks" => obj.uint_str("clicks", c.clicks),
            "inline_link_clicks" => obj.uint_str("inline_link_clicks", c.link_click),
            "spend" => obj.str("spend", &money(c.spend, offset)),
            "cpm" => obj.str("cpm", &cpm(c, offset)),
            "cpc" => {
                if let Some(v) = cpc(c, offset) {
                    obj.str("cpc", &v)
                }
            }
            "ctr" => obj.str("ctr", &ctr(c)),
            "frequency" => obj.str("frequency", &frequency(c, reach)),
            "actions" => {
                let list = actions(c);
                if !list.is_empty() {
                    let entries = list.into_iter().map(|(t, n)| (t, n.to_string()));
                    let split = |t: &str| c.win[count_metric(t)];
                    write_stats(obj.key("actions"), entries, &keys, win, split, |n| Some(n.to_string()));
                }
            }
            "action_values" => {
                let list = action_values(c, offset);
                if !list.is_empty() {
                    let split = |t: &str| c.win[value_metric(t)];
                    let fmt = |v| Some(money(v, offset));
                    write_stats(obj.key("action_values"), list.into_iter(), &keys, win, split, fmt);
                }
            }
            "purchase_roas" => {
                let list = roas(c);
                if !list.is_empty() {
                    let split = |t: &str| c.win[value_metric(t)];
                    let fmt = |v| Some(ratio(v as u128, c.spend as u128));
                    write_stats(obj.key("purchase_roas"), list.into_iter(), &keys, win, split, fmt);
                }
            }
            "cost_per_action_type" => {
                let list: Vec<_> = actions(c)
                    .into_iter()
                    .map(|(t, n)| (t, ratio(c.spend as u128, offset as u128 * n as u128)))
                    .collect();
                if c.spend > 0 && !list.is_empty() {
                    let split = |t: &str| c.win[count_metric(t)];
                    let fmt = |n| Some(ratio(c.spend as u128, offset as u128 * n as u128));
                    write_stats(obj.key("cost_per_action_type"), list.into_iter(), &keys, win, split, fmt);
                }
            }
            _ => {}
        }
    }
    let (s, e) = plan.buckets[b];
    obj.str("date_start", &day_date(s).to_string());
    obj.str("date_stop", &day_date(e).to_string());
    obj.end();
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

fn stats_json(entries: Vec<(&'static str, String)>) -> Option<crate::model::JsonText> {
    (!entries.is_empty()).then(|| {
        serde_json::Value::Array(
            entries.into_iter().map(|(t, v)| serde_json::json!({"action_type": t, "value": v})).collect(),
        )
        .into()
    })
}

/// The warehouse row a correct sync stores for row (`o`, `b`) (daily buckets), with the
/// default conversion action type `omni_purchase` (contracts.md).
pub(crate) fn truth_row(w: &World, plan: &Plan, o: usize, b: usize, c: &Counts) -> InsightRow {
    let a = plan.account;
    let (_, offset) = w.currency(a);
    let (camp, set, ad) = lineage(w, plan.level, o);
    let reach = c.reach();
    let object_id = match plan.level {
        InsightLevel::Account => w.ids.str(Kind::Account, a),
        l => w.ids.str(level_kind(l), o),
    };
    let acts: Vec<(&'static str, String)> = actions(c).into_iter().map(|(t, n)| (t, n.to_string())).collect();
    let vals = action_values(c, offset);
    let ro = roas(c);
    let pick = |list: &[(&'static str, String)]| {
        list.iter().find(|(t, _)| *t == "omni_purchase").map(|(_, v)| dec(v))
    };
    InsightRow {
        level: plan.level,
        object_id,
        date: day_date(plan.buckets[b].0),
        account_id: w.ids.str(Kind::Account, a),
        campaign_id: camp.map(|x| w.ids.str(Kind::Campaign, x)),
        ad_set_id: set.map(|x| w.ids.str(Kind::AdSet, x)),
        ad_id: ad.map(|x| w.ids.str(Kind::Ad, x)),
        impressions: c.impressions as i64,
        reach: Some(reach as i64),
        clicks: c.clicks as i64,
        inline_link_clicks: Some(c.link_click as i64),
        spend: dec(&money(c.spend, offset)),
        cpm: Some(dec(&cpm(c, offset))),
        cpc: cpc(c, offset).map(|v| dec(&v)),
        ctr: Some(dec(&ctr(c))),
        frequency: Some(dec(&frequency(c, reach))),
        conversions: pick(&acts),
        conversion_value: pick(&vals),
        roas: pick(&ro),
        actions: stats_json(acts),
        action_values: stats_json(vals),
        purchase_roas: stats_json(ro),
        synced_at: chrono::DateTime::UNIX_EPOCH,
    }
}
