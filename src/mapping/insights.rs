//! Insights rows (`/act_<id>/insights?level=…&time_increment=1`, sync or async report runs).
//!
//! Meta sends every metric as a string and omits fields without data (docs/graph-api.md §5.1). Counts
//! become `i64`, money and ratios exact `Decimal`s in major units.

use rust_decimal::Decimal;
use serde_json::Value;

use super::context::MapContext;
use super::entities::account_id;
use super::error::{MappingError, ValueError};
use super::wire::Obj;
use crate::model::{InsightLevel, InsightRow, JsonText};

/// `fields=` for insights at any level: exactly what [`map_insight`] reads. Ids below the
/// requested level are simply not returned by Meta and are ignored by mapping.
pub const INSIGHTS_FIELDS: &str = "account_id,campaign_id,adset_id,ad_id,date_start,date_stop,\
impressions,reach,clicks,inline_link_clicks,spend,cpm,cpc,ctr,frequency,actions,action_values,purchase_roas";

/// Maps one daily insights row reported at `level`.
pub fn map_insight(v: &Value, level: InsightLevel, ctx: &MapContext<'_>) -> Result<InsightRow, MappingError> {
    let mut o = Obj::new(v, object_kind(level))?;
    let at_or_below = |l: InsightLevel| level >= l;
    let account_id = account_id(&o, ctx)?;
    let campaign_id =
        at_or_below(InsightLevel::Campaign).then(|| o.required_id("campaign_id")).transpose()?;
    let ad_set_id = at_or_below(InsightLevel::AdSet).then(|| o.required_id("adset_id")).transpose()?;
    let ad_id = at_or_below(InsightLevel::Ad).then(|| o.required_id("ad_id")).transpose()?;
    let object_id = match level {
        InsightLevel::Account => account_id.clone(),
        InsightLevel::Campaign => campaign_id.clone().unwrap_or_default(),
        InsightLevel::AdSet => ad_set_id.clone().unwrap_or_default(),
        InsightLevel::Ad => ad_id.clone().unwrap_or_default(),
    };
    o.relabel(object_id.clone());

    let date = o.date("date_start")?.ok_or_else(|| o.missing("date_start"))?;
    o.relabel(format!("{object_id} on {date}"));
    if o.date("date_stop")?.is_some_and(|stop| stop != date) {
        return Err(o.invalid("date_stop", ValueError::Rule("differs from date_start: not a daily row")));
    }

    let types = ctx.conversion_action_types;
    Ok(InsightRow {
        impressions: o.count("impressions")?.unwrap_or(0),
        reach: o.count("reach")?,
        clicks: o.count("clicks")?.unwrap_or(0),
        inline_link_clicks: Some(o.count("inline_link_clicks")?.unwrap_or(0)),
        spend: o.decimal("spend")?.unwrap_or(Decimal::ZERO),
        cpm: o.decimal("cpm")?,
        cpc: o.decimal("cpc")?,
        ctr: o.decimal("ctr")?,
        frequency: o.decimal("frequency")?,
        conversions: o.sum_action_stats("actions", types)?,
        conversion_value: o.sum_action_stats("action_values", types)?,
        roas: o.sum_action_stats("purchase_roas", types)?,
        actions: o.get("actions").map(JsonText::from_value),
        action_values: o.get("action_values").map(JsonText::from_value),
        purchase_roas: o.get("purchase_roas").map(JsonText::from_value),
        level,
        object_id,
        date,
        account_id,
        campaign_id,
        ad_set_id,
        ad_id,
        synced_at: ctx.synced_at,
    })
}

fn object_kind(level: InsightLevel) -> &'static str {
    match level {
        InsightLevel::Account => "account insights",
        InsightLevel::Campaign => "campaign insights",
        InsightLevel::AdSet => "adset insights",
        InsightLevel::Ad => "ad insights",
    }
}

#[cfg(test)]
#[path = "insights_tests.rs"]
mod tests;
