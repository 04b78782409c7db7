//! Insights parameters (docs/graph-api.md §5.2): `level`, `fields`, the dates
//! (`time_range`, `time_ranges`, `date_preset`, `time_increment`), `filtering`,
//! `breakdowns`, `action_breakdowns`, `action_attribution_windows`, `sort` and `summary`.
//! Every list parameter may come as a comma list or a JSON array. Parameters the simulator
//! does not interpret (`locale`, `action_report_time`, `use_unified_attribution_setting`, …)
//! are ignored, as they change nothing in its world.

use super::dates::{self, Dates, Increment};
use super::sort::{self, Sort};
use super::windows::{self, Window};
use crate::model::InsightLevel;
use crate::sim::errors::ApiError;
use crate::sim::fields::{
    self,
    known::{self, List},
};
use crate::sim::filtering::{self, Filter};
use crate::sim::params;
use crate::sim::request::Params;
use chrono::NaiveDate;

/// Parsed insights parameters.
#[derive(Debug, Clone)]
pub(crate) struct InsightsQuery {
    /// `None` = the level of the node queried.
    pub level: Option<InsightLevel>,
    pub fields: Vec<String>,
    pub dates: Dates,
    /// `time_ranges`: when non-empty, one result set per range, overriding `dates` and the
    /// increment.
    pub ranges: Vec<(NaiveDate, NaiveDate)>,
    pub increment: Increment,
    pub filters: Vec<Filter>,
    /// Attribution windows to add to action stats, in request order.
    pub windows: Vec<Window>,
    /// `action_breakdowns` keys added to action stats besides `action_type`.
    pub action_keys: Vec<&'static str>,
    pub sort: Option<Sort>,
    /// Fields of the `summary` object; empty = no summary.
    pub summary: Vec<String>,
}

/// Insights' answer to a field `AdsInsights` does not have.
fn not_a_field(f: &str) -> ApiError {
    ApiError::invalid(&format!(
        "{f} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values"
    ))
}

fn insights_fields(raw: &str) -> Result<Vec<String>, ApiError> {
    let names: Vec<String> = fields::parse(raw)?.into_iter().map(|f| f.name).collect();
    match names.iter().find(|f| !known::has(List::AdsInsights, f)) {
        // Names of the SDK's list that Meta refuses anyway answer as a nonexisting field
        // (docs/graph-api.md §9).
        Some(f) if known::is_exception(List::AdsInsights, f) => Err(ApiError::invalid(&format!(
            "Tried accessing nonexisting field ({f}) on node type (AdsInsights)"
        ))),
        Some(f) => Err(not_a_field(f)),
        None => Ok(names),
    }
}

/// `breakdowns`: any value of the SDK's enum is refused as not simulated yet (an unknown
/// one with Meta's enum message); `[]` or blank means none.
fn breakdowns(p: &Params) -> Result<(), ApiError> {
    let list = params::list_opt(p.get("breakdowns"), "breakdowns")?;
    for (i, b) in list.iter().enumerate() {
        params::check_enum("breakdowns", i, b, known::names(List::Breakdowns))?;
    }
    match list.first() {
        Some(b) => Err(ApiError::invalid(&format!("breakdowns are not supported by the simulator yet: {b}"))),
        None => Ok(()),
    }
}

/// `action_breakdowns`: `action_type` (the default), `action_target_id` and
/// `action_destination` are served (every ad of an account promotes the same page, so each
/// action type still has one element per row, now naming that page); other values of the
/// enum are refused as not simulated yet. Returns the extra element keys, in request order.
fn action_breakdowns(p: &Params) -> Result<Vec<&'static str>, ApiError> {
    let list = params::list_opt(p.get("action_breakdowns"), "action_breakdowns")?;
    let mut keys = Vec::new();
    for (i, b) in list.iter().enumerate() {
        params::check_enum("action_breakdowns", i, b, known::names(List::ActionBreakdowns))?;
        let key = match b.as_str() {
            "action_type" => continue,
            "action_target_id" => "action_target_id",
            "action_destination" => "action_destination",
            _ => {
                return Err(ApiError::invalid(&format!(
                    "action_breakdowns other than action_type, action_target_id and action_destination \
                     are not supported by the simulator yet: {b}"
                )));
            }
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    Ok(keys)
}

/// Parses the parameters of an insights call.
pub(crate) fn parse(p: &Params) -> Result<InsightsQuery, ApiError> {
    let level = match p.get("level") {
        None | Some("") => None,
        // docs/graph-api.md §1.4: a wrong `level` answers 1/99 "An unknown error occurred".
        Some(l) => Some(InsightLevel::parse(l).ok_or_else(ApiError::unknown)?),
    };
    let fields = match p.get("fields") {
        Some(f) if !f.trim().is_empty() && f.trim() != "[]" => insights_fields(f)?,
        _ => vec!["account_id".into(), "impressions".into(), "spend".into()],
    };
    breakdowns(p)?;
    let action_keys = action_breakdowns(p)?;
    let ranges = dates::time_ranges(p)?;
    let dates = match dates::time_range(p)? {
        Some(tr) => tr,
        None => Dates::Preset(p.get("date_preset").unwrap_or("last_30d").to_string()),
    };
    dates::check_preset(&dates)?;
    let increment = dates::increment(p.get("time_increment"))?;
    let filters = match p.get("filtering") {
        Some(f) if !f.trim().is_empty() => filtering::parse(f)?,
        _ => Vec::new(),
    };
    let windows = windows::parse(p.get("action_attribution_windows"))?;
    let sort = sort::parse(p.get("sort"))?;
    let summary = match p.get("summary").map(str::trim) {
        Some("true" | "1") => fields.clone(),
        Some("false" | "0" | "") | None if params::flag(p.get("default_summary")) => fields.clone(),
        Some("false" | "0" | "") | None => Vec::new(),
        Some(list) => insights_fields(list)?,
    };
    Ok(InsightsQuery {
        level,
        fields,
        dates,
        ranges,
        increment,
        filters,
        windows,
        action_keys,
        sort,
        summary,
    })
}
