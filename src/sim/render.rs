//! Entity JSON (docs/graph-api.md §6): only the requested fields, ids and money as strings (budgets in
//! minor units), `bid_amount` as an integer, timestamps `2026-09-03T10:00:00-0700` in the
//! account's offset, absent values omitted.

use super::catalog::*;
use super::errors::ApiError;
use super::fields::Field;
use super::fields::known::{self, List};
use super::ids::Kind;
use super::json::{Obj, string};
use super::names;
use super::world::World;
use chrono_tz::Tz;

/// The generated field list and Meta's node type name of a kind (docs/graph-api.md §6).
/// Users have no generated list: `id` and `name` are all the simulator knows of them.
fn known(kind: Kind) -> (Option<List>, &'static str) {
    match kind {
        Kind::Account => (Some(List::AdAccount), "AdAccount"),
        Kind::Campaign => (Some(List::Campaign), "Campaign"),
        Kind::AdSet => (Some(List::AdSet), "AdSet"),
        Kind::Ad => (Some(List::Ad), "Adgroup"),
        Kind::Creative => (Some(List::AdCreative), "AdCreative"),
        Kind::Business => (Some(List::Business), "Business"),
        Kind::ReportRun => (Some(List::AdReportRun), "AdReportRun"),
        Kind::User => (None, "User"),
    }
}

/// Refuses a field the node type does not have, as Meta does: 400, code 100, "(#100) Tried
/// accessing nonexisting field (x) on node type (Campaign)". Every name of the node type's
/// list is accepted; those the world has no value for are omitted, as Meta omits empty
/// fields.
pub(crate) fn validate(kind: Kind, fields: &[Field]) -> Result<(), ApiError> {
    let (list, node) = known(kind);
    for f in fields {
        let ok = match list {
            Some(l) => known::has(l, &f.name),
            None => matches!(f.name.as_str(), "id" | "name"),
        };
        if !ok {
            return Err(ApiError::invalid(&format!(
                "Tried accessing nonexisting field ({}) on node type ({node})",
                f.name
            )));
        }
        if let Some(child) = nested_kind(&f.name).filter(|_| !f.sub.is_empty()) {
            validate(child, &f.sub)?;
        }
    }
    Ok(())
}

/// `2026-09-03T10:00:00-0700` in `tz`.
pub(crate) fn time(tz: Tz, unix: i64) -> String {
    let t = chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default();
    t.with_timezone(&tz).format("%Y-%m-%dT%H:%M:%S%z").to_string()
}

/// Writes one entity with the requested fields.
pub(crate) fn entity(w: &World, kind: Kind, idx: usize, fields: &[Field], out: &mut String) {
    let mut o = Obj::new(out);
    for f in fields {
        match kind {
            Kind::Account => account_field(w, idx, f, &mut o),
            Kind::Campaign => campaign_field(w, idx, f, &mut o),
            Kind::AdSet => adset_field(w, idx, f, &mut o),
            Kind::Ad => ad_field(w, idx, f, &mut o),
            Kind::Creative => creative_field(w, idx, f, &mut o),
            Kind::Business => business_field(w, idx, f, &mut o),
            _ => {}
        }
    }
    o.end();
}

fn budget(o: &mut Obj<'_>, key: &str, minor: u64) {
    if minor > 0 {
        o.uint_str(key, minor);
    }
}

/// Node type of a nested object the world renders (`creative{…}`, `campaign{…}`, …).
fn nested_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "creative" => Kind::Creative,
        "campaign" => Kind::Campaign,
        "adset" => Kind::AdSet,
        "business" => Kind::Business,
        _ => return None,
    })
}

/// A nested object, rendered as its own node type. Without sub-fields Meta answers `{id}`
/// (`{id, name}` for a business); with sub-fields, `id` and what was asked.
fn nested(w: &World, o: &mut Obj<'_>, f: &Field, kind: Kind, idx: usize) {
    let field = |n: &str| Field { name: n.to_string(), sub: Vec::new() };
    let mut fields = vec![field("id")];
    if f.sub.is_empty() && kind == Kind::Business {
        fields.push(field("name"));
    }
    fields.extend(f.sub.iter().filter(|s| s.name != "id").cloned());
    entity(w, kind, idx, &fields, o.key(&f.name));
}

fn account_field(w: &World, a: usize, f: &Field, o: &mut Obj<'_>) {
    let acc = &w.accounts[a];
    let (code, _) = w.currency(a);
    match f.name.as_str() {
        "id" => o.str("id", &w.ids.act(a)),
        "account_id" => o.str("account_id", &w.ids.str(Kind::Account, a)),
        "name" => o.str("name", &names::account(w, a)),
        "account_status" => o.uint("account_status", acc.status as u64),
        "disable_reason" => o.uint("disable_reason", acc.disable_reason as u64),
        "currency" => o.str("currency", code),
        "timezone_name" => o.str("timezone_name", acc.tz.name()),
        "timezone_offset_hours_utc" => {
            use chrono::Offset;
            let now = chrono::Utc::now().with_timezone(&acc.tz);
            let secs = now.offset().fix().local_minus_utc();
            o.raw("timezone_offset_hours_utc", &format!("{}", secs as f64 / 3600.0));
        }
        "amount_spent" => o.uint_str("amount_spent", acc.amount_spent),
        "balance" => o.uint_str("balance", 0),
        "spend_cap" => o.uint_str("spend_cap", 0),
        "min_daily_budget" => o.uint("min_daily_budget", if code == "JPY" { 150 } else { 100 }),
        "is_personal" => o.uint("is_personal", 0),
        "owner" => o.str("owner", &w.ids.str(Kind::Business, acc.business as usize)),
        "business" => {
            let b = acc.business as usize;
            nested(w, o, f, Kind::Business, b)
        }
        "created_time" => o.str("created_time", &time(acc.tz, acc.created)),
        _ => {}
    }
}

fn tz_of_campaign(w: &World, c: usize) -> Tz {
    w.accounts[w.campaign_account(c)].tz
}

fn campaign_field(w: &World, c: usize, f: &Field, o: &mut Obj<'_>) {
    let camp = &w.campaigns[c];
    let tz = tz_of_campaign(w, c);
    match f.name.as_str() {
        "id" => o.str("id", &w.ids.str(Kind::Campaign, c)),
        "account_id" => o.str("account_id", &w.ids.str(Kind::Account, camp.account as usize)),
        "name" => o.str("name", &names::campaign(w, c)),
        "objective" => o.str("objective", OBJECTIVES[camp.objective as usize]),
        "status" | "configured_status" => o.str(&f.name, EFFECTIVE[camp.configured as usize]),
        "effective_status" => o.str("effective_status", EFFECTIVE[w.campaign_status(c) as usize]),
        "buying_type" => o.str("buying_type", "AUCTION"),
        "bid_strategy" if camp.cbo() => o.str("bid_strategy", BID_STRATEGIES[camp.bid_strategy as usize]),
        "daily_budget" => budget(o, "daily_budget", camp.daily_budget),
        "lifetime_budget" => budget(o, "lifetime_budget", camp.lifetime_budget),
        "budget_remaining" if camp.cbo() => {
            o.uint_str("budget_remaining", (camp.daily_budget + camp.lifetime_budget) * 3 / 5)
        }
        "start_time" => o.str("start_time", &time(tz, camp.start)),
        "stop_time" if camp.stop > 0 => o.str("stop_time", &time(tz, camp.stop)),
        "created_time" => o.str("created_time", &time(tz, camp.created)),
        "updated_time" => o.str("updated_time", &time(tz, camp.updated)),
        "special_ad_categories" => o.raw("special_ad_categories", "[]"),
        "special_ad_category" => o.str("special_ad_category", "NONE"),
        "issues_info" if camp.own == WITH_ISSUES => o.raw(
            "issues_info",
            r#"[{"level":"CAMPAIGN","error_code":1815869,"error_summary":"Ad account has no payment method","error_message":"Add a payment method to keep your ads running.","error_type":"SOFT_ERROR"}]"#,
        ),
        _ => {}
    }
}

fn adset_field(w: &World, s: usize, f: &Field, o: &mut Obj<'_>) {
    let set = &w.adsets[s];
    let c = set.campaign as usize;
    let tz = tz_of_campaign(w, c);
    let (goal, billing) = OPTIMIZATION[set.optimization as usize];
    match f.name.as_str() {
        "id" => o.str("id", &w.ids.str(Kind::AdSet, s)),
        "account_id" => o.str("account_id", &w.ids.str(Kind::Account, w.campaign_account(c))),
        "campaign_id" => o.str("campaign_id", &w.ids.str(Kind::Campaign, c)),
        "campaign" => nested(w, o, f, Kind::Campaign, c),
        "name" => o.str("name", &names::adset(w, s)),
        "status" | "configured_status" => o.str(&f.name, EFFECTIVE[set.configured as usize]),
        "effective_status" => o.str("effective_status", EFFECTIVE[w.adset_status(s) as usize]),
        "daily_budget" => budget(o, "daily_budget", set.daily_budget),
        "lifetime_budget" => budget(o, "lifetime_budget", set.lifetime_budget),
        "budget_remaining" if set.daily_budget + set.lifetime_budget > 0 => {
            o.uint_str("budget_remaining", (set.daily_budget + set.lifetime_budget) * 2 / 5)
        }
        "bid_amount" if set.bid_amount > 0 => o.uint("bid_amount", set.bid_amount),
        "bid_strategy" if !w.campaigns[c].cbo() => {
            o.str("bid_strategy", BID_STRATEGIES[set.bid_strategy as usize])
        }
        "billing_event" => o.str("billing_event", billing),
        "optimization_goal" => o.str("optimization_goal", goal),
        "targeting" => o.raw("targeting", &targeting(w, s)),
        "start_time" => o.str("start_time", &time(tz, set.start)),
        "end_time" if set.end > 0 => o.str("end_time", &time(tz, set.end)),
        "created_time" => o.str("created_time", &time(tz, set.created)),
        "updated_time" => o.str("updated_time", &time(tz, set.updated)),
        "destination_type" => o.str("destination_type", "WEBSITE"),
        _ => {}
    }
}

/// The targeting spec of ad set `s`, as JSON text.
pub(crate) fn targeting(w: &World, s: usize) -> String {
    let set = &w.adsets[s];
    let mut out = String::with_capacity(256);
    out.push_str(&format!(
        r#"{{"age_min":{},"age_max":{},"geo_locations":{{"countries":["#,
        set.age_min, set.age_max
    ));
    string(&mut out, COUNTRIES[set.country as usize]);
    out.push_str(r#"],"location_types":["home","recent"]},"publisher_platforms":["facebook","instagram","audience_network"],"facebook_positions":["feed","story"],"targeting_automation":{"advantage_audience":1}}"#);
    out
}

fn ad_field(w: &World, d: usize, f: &Field, o: &mut Obj<'_>) {
    let ad = &w.ads[d];
    let s = ad.adset as usize;
    let c = w.adset_campaign(s);
    let tz = tz_of_campaign(w, c);
    match f.name.as_str() {
        "id" => o.str("id", &w.ids.str(Kind::Ad, d)),
        "account_id" => o.str("account_id", &w.ids.str(Kind::Account, w.campaign_account(c))),
        "campaign_id" => o.str("campaign_id", &w.ids.str(Kind::Campaign, c)),
        "adset_id" => o.str("adset_id", &w.ids.str(Kind::AdSet, s)),
        "campaign" => nested(w, o, f, Kind::Campaign, c),
        "adset" => nested(w, o, f, Kind::AdSet, s),
        "name" => o.str("name", &names::ad(w, d)),
        "status" | "configured_status" => o.str(&f.name, EFFECTIVE[ad.configured as usize]),
        "effective_status" => o.str("effective_status", EFFECTIVE[w.ad_status(d) as usize]),
        // An ad bids what its ad set bids.
        "bid_amount" if w.adsets[s].bid_amount > 0 => o.uint("bid_amount", w.adsets[s].bid_amount),
        "creative" => nested(w, o, f, Kind::Creative, d),
        "created_time" => o.str("created_time", &time(tz, ad.created)),
        "updated_time" => o.str("updated_time", &time(tz, ad.updated)),
        _ => {}
    }
}

fn creative_field(w: &World, d: usize, f: &Field, o: &mut Obj<'_>) {
    match f.name.as_str() {
        "id" => o.str("id", &w.ids.str(Kind::Creative, d)),
        "account_id" => o.str("account_id", &w.ids.str(Kind::Account, w.ad_account(d))),
        "name" => o.str("name", &names::creative(w, d)),
        "status" => o.str("status", names::creative_status(w, d)),
        "title" => o.str("title", &names::creative_title(w, d)),
        "body" => o.str("body", &names::creative_body(w, d)),
        "object_type" => o.str("object_type", names::creative_object_type(w, d)),
        "thumbnail_url" => o.str("thumbnail_url", &names::creative_thumbnail(w, d)),
        "image_url" => o.str("image_url", &names::creative_image(w, d)),
        "call_to_action_type" => o.str("call_to_action_type", names::creative_cta(w, d)),
        _ => {}
    }
}

fn business_field(w: &World, b: usize, f: &Field, o: &mut Obj<'_>) {
    match f.name.as_str() {
        "id" => o.str("id", &w.ids.str(Kind::Business, b)),
        "name" => o.str("name", &names::business(w, b)),
        "created_time" => o.str("created_time", &time(chrono_tz::UTC, w.businesses[b].created)),
        "verification_status" => o.str("verification_status", "verified"),
        _ => {}
    }
}
