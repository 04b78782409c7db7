//! Campaign, ad set, ad and ad creative payloads (`/act_<id>/campaigns`, `/adsets`, `/ads`,
//! `/adcreatives`). Budgets and bids are minor units of the context's currency.

use serde_json::Value;

use super::context::MapContext;
use super::error::MappingError;
use super::objective::objective_type;
use super::status::platform_status;
use super::wire::Obj;
use crate::model::{AdCreativeRow, AdRow, AdSetRow, CampaignRow};

/// `fields=` for campaigns: exactly what [`map_campaign`] reads.
pub const CAMPAIGN_FIELDS: &str = "id,account_id,name,status,configured_status,effective_status,objective,\
daily_budget,lifetime_budget,bid_strategy,buying_type,start_time,stop_time,created_time,updated_time";

/// `fields=` for ad sets: exactly what [`map_ad_set`] reads.
pub const AD_SET_FIELDS: &str = "id,account_id,campaign_id,name,status,configured_status,effective_status,\
daily_budget,lifetime_budget,optimization_goal,billing_event,bid_amount,targeting,start_time,end_time,\
created_time,updated_time";

/// `fields=` for ads: exactly what [`map_ad`] reads (`creative` returns `{"id": …}`).
pub const AD_FIELDS: &str = "id,account_id,campaign_id,adset_id,name,status,configured_status,effective_status,creative,created_time,updated_time";

/// `fields=` for ad creatives: exactly what [`map_ad_creative`] reads.
pub const AD_CREATIVE_FIELDS: &str =
    "id,account_id,name,status,title,body,object_type,thumbnail_url,image_url,call_to_action_type";

/// Maps one campaign.
pub fn map_campaign(v: &Value, ctx: &MapContext<'_>) -> Result<CampaignRow, MappingError> {
    let o = Obj::new(v, "campaign")?;
    let s = Statuses::read(&o)?;
    let objective = o.string("objective")?;
    Ok(CampaignRow {
        campaign_id: o.required_id("id")?,
        account_id: account_id(&o, ctx)?,
        name: o.required_string("name")?,
        status: s.status,
        effective_status: s.effective,
        configured_status: s.configured,
        objective_type: objective_type(objective.as_deref()).map(str::to_owned),
        objective,
        daily_budget: o.minor("daily_budget", ctx.currency)?,
        lifetime_budget: o.minor("lifetime_budget", ctx.currency)?,
        bid_strategy: o.string("bid_strategy")?,
        buying_type: o.string("buying_type")?,
        start_time: o.timestamp("start_time")?,
        stop_time: o.timestamp("stop_time")?,
        created_time: o.timestamp("created_time")?,
        updated_time: o.timestamp("updated_time")?,
        synced_at: ctx.synced_at,
    })
}

/// Maps one ad set. `targeting` is kept as the JSON object received.
pub fn map_ad_set(v: &Value, ctx: &MapContext<'_>) -> Result<AdSetRow, MappingError> {
    let o = Obj::new(v, "adset")?;
    let s = Statuses::read(&o)?;
    Ok(AdSetRow {
        ad_set_id: o.required_id("id")?,
        campaign_id: o.required_id("campaign_id")?,
        account_id: account_id(&o, ctx)?,
        name: o.required_string("name")?,
        status: s.status,
        effective_status: s.effective,
        configured_status: s.configured,
        daily_budget: o.minor("daily_budget", ctx.currency)?,
        lifetime_budget: o.minor("lifetime_budget", ctx.currency)?,
        optimization_goal: o.string("optimization_goal")?,
        billing_event: o.string("billing_event")?,
        bid_amount: o.minor("bid_amount", ctx.currency)?,
        targeting: o.get("targeting").cloned(),
        start_time: o.timestamp("start_time")?,
        end_time: o.timestamp("end_time")?,
        created_time: o.timestamp("created_time")?,
        updated_time: o.timestamp("updated_time")?,
        synced_at: ctx.synced_at,
    })
}

/// Maps one ad. `creative_id` is `creative.id`.
pub fn map_ad(v: &Value, ctx: &MapContext<'_>) -> Result<AdRow, MappingError> {
    let o = Obj::new(v, "ad")?;
    let s = Statuses::read(&o)?;
    Ok(AdRow {
        ad_id: o.required_id("id")?,
        ad_set_id: o.required_id("adset_id")?,
        campaign_id: o.required_id("campaign_id")?,
        account_id: account_id(&o, ctx)?,
        name: o.required_string("name")?,
        status: s.status,
        effective_status: s.effective,
        configured_status: s.configured,
        creative_id: o.nested_id("creative")?,
        created_time: o.timestamp("created_time")?,
        updated_time: o.timestamp("updated_time")?,
        synced_at: ctx.synced_at,
    })
}

/// Maps one ad creative. Everything but the id is optional.
pub fn map_ad_creative(v: &Value, ctx: &MapContext<'_>) -> Result<AdCreativeRow, MappingError> {
    let o = Obj::new(v, "ad creative")?;
    Ok(AdCreativeRow {
        creative_id: o.required_id("id")?,
        account_id: account_id(&o, ctx)?,
        name: o.string("name")?,
        status: o.string("status")?,
        title: o.string("title")?,
        body: o.string("body")?,
        object_type: o.string("object_type")?,
        thumbnail_url: o.string("thumbnail_url")?,
        image_url: o.string("image_url")?,
        call_to_action_type: o.string("call_to_action_type")?,
        synced_at: ctx.synced_at,
    })
}

/// The account the request was for. A payload `account_id` (with or without `act_`) naming
/// another account is a protocol error, never a reason to file the row elsewhere.
pub(crate) fn account_id(o: &Obj<'_>, ctx: &MapContext<'_>) -> Result<String, MappingError> {
    if o.get("account_id").is_none() {
        return Ok(ctx.account_id.to_owned());
    }
    let payload = o.required_id("account_id")?;
    let requested = ctx.account_id.strip_prefix("act_").unwrap_or(ctx.account_id);
    if payload != requested {
        return Err(o.foreign_account(payload, requested.to_owned()));
    }
    Ok(payload)
}

/// The three status columns every delivery object carries.
struct Statuses {
    status: String,
    effective: String,
    configured: Option<String>,
}

impl Statuses {
    fn read(o: &Obj<'_>) -> Result<Self, MappingError> {
        let effective = o.required_string("effective_status")?;
        // Some edges and older payloads carry only `status`, which holds the same setting.
        let configured = match o.string("configured_status")? {
            Some(c) => Some(c),
            None => o.string("status")?,
        };
        Ok(Statuses { status: platform_status(&effective).to_owned(), effective, configured })
    }
}

#[cfg(test)]
#[path = "entities_tests.rs"]
mod tests;
