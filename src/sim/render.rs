//! Entity JSON (facts §6): only the requested fields, ids and money as strings (budgets in
//! minor units), `bid_amount` as an integer, timestamps `2026-09-03T10:00:00-0700` in the
//! account's offset, absent values omitted.

use super::catalog::*;
use super::errors::ApiError;
use super::fields::Field;
use super::ids::Kind;
use super::json::{Obj, string};
use super::names;
use super::world::World;
use chrono_tz::Tz;

/// Fields each kind serves.
const ACCOUNT: &[&str] = &[
    "id",
    "account_id",
    "name",
    "account_status",
    "disable_reason",
    "currency",
    "timezone_name",
    "timezone_offset_hours_utc",
    "amount_spent",
    "balance",
    "spend_cap",
    "business",
    "created_time",
    "owner",
    "is_personal",
    "min_daily_budget",
];
const CAMPAIGN: &[&str] = &[
    "id",
    "account_id",
    "name",
    "objective",
    "status",
    "configured_status",
    "effective_status",
    "buying_type",
    "bid_strategy",
    "daily_budget",
    "lifetime_budget",
    "budget_remaining",
    "start_time",
    "stop_time",
    "created_time",
    "updated_time",
    "special_ad_categories",
    "special_ad_category",
    "issues_info",
];
const ADSET: &[&str] = &[
    "id",
    "account_id",
    "campaign_id",
    "campaign",
    "name",
    "status",
    "configured_status",
    "effective_status",
    "daily_budget",
    "lifetime_budget",
    "budget_remaining",
    "bid_amount",
    "bid_strategy",
    "billing_event",
    "optimization_goal",
    "targeting",
    "start_time",
    "end_time",
    "created_time",
    "updated_time",
    "destination_type",
];
const AD: &[&str] = &[
    "id",
    "account_id",
    "campaign_id",
    "adset_id",
    "campaign",
    "adset",
    "name",
    "status",
    "configured_status",
    "effective_status",
    "creative",
    "created_time",
    "updated_time",
];
const CREATIVE: &[&str] = &[
    "id",
    "account_id",
    "name",
    "status",
    "title",
    "body",
    "object_type",
    "thumbnail_url",
    "image_url",
    "call_to_action_type",
];
const BUSINESS: &[&str] = &["id", "name", "created_time", "verification_status"];
const USER: &[&str] = &["id", "name"];

/// Real fields of these nodes that the simulator accepts but never fills (omitted like
/// absent values), so clients asking for them are not refused.
const ACCEPTED: &[&str] = &[
    "funding_source_details",
    "user_tasks",
    "capabilities",
    "end_advertiser",
    "media_agency",
    "partner",
    "tax_id",
    "age",
    "attribution_spec",
    "io_number",
    "is_prepay_account",
    "spend_cap_action",
    "pacing_type",
    "promoted_object",
    "smart_promotion_type",
    "source_campaign_id",
    "learning_stage_info",
    "bid_info",
    "lifetime_imps",
    "tracking_specs",
    "conversion_specs",
    "ad_review_feedback",
    "preview_shareable_link",
    "object_story_spec",
    "object_story_id",
    "effective_object_story_id",
    "asset_feed_spec",
    "url_tags",
    "actor_id",
    "instagram_permalink_url",
    "product_set_id",
    "template_url",
    "image_hash",
    "video_id",
    "link_url",
    "recommendations",
    "adlabels",
    "timezone_id",
];

fn known(kind: Kind) -> (&'static [&'static str], &'static str) {
    match kind {
        Kind::Account => (ACCOUNT, "AdAccount"),
        Kind::Campaign => (CAMPAIGN, "Campaign"),
        Kind::AdSet => (ADSET, "AdSet"),
        Kind::Ad => (AD, "Adgroup"),
        Kind::Creative => (CREATIVE, "AdCreative"),
        Kind::Business => (BUSINESS, "Business"),
        _ => (USER, "User"),
    }
}

/// Refuses fields a node type does not have, as Meta does.
pub(crate) fn validate(kind: Kind, fields: &[Field]) -> Result<(), ApiError> {
    let (list, node) = known(kind);
    for f in fields {
        if !list.contains(&f.name.as_str()) && !ACCEPTED.contains(&f.name.as_str()) {
            return Err(ApiError::invalid(&format!(
                "Tried accessing nonexisting field ({}) on node type ({node})",
                f.name
            )));
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

fn sub_ref(o: &mut Obj<'_>, key: &str, id: &str, name: Option<String>, f: &Field) {
    let mut r = Obj::new(o.key(key));
    r.str("id", id);
    if let Some(n) = name.filter(|_| f.sub.iter().any(|s| s.name == "name")) {
        r.str("name", &n);
    }
    r.end();
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
            sub_ref(o, "business", &w.ids.str(Kind::Business, b), Some(names::business(w, b)), f)
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
        "campaign" => sub_ref(o, "campaign", &w.ids.str(Kind::Campaign, c), Some(names::campaign(w, c)), f),
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
        "campaign" => sub_ref(o, "campaign", &w.ids.str(Kind::Campaign, c), Some(names::campaign(w, c)), f),
        "adset" => sub_ref(o, "adset", &w.ids.str(Kind::AdSet, s), Some(names::adset(w, s)), f),
        "name" => o.str("name", &names::ad(w, d)),
        "status" | "configured_status" => o.str(&f.name, EFFECTIVE[ad.configured as usize]),
        "effective_status" => o.str("effective_status", EFFECTIVE[w.ad_status(d) as usize]),
        "creative" => sub_ref(o, "creative", &w.ids.str(Kind::Creative, d), Some(names::creative(w, d)), f),
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
