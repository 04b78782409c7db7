//! The `filtering` parameter (docs/graph-api.md §5.2, §6.6): a JSON list of `{field, operator, value}`
//! objects, ANDed. Fields may carry an entity prefix (`campaign.effective_status`,
//! `ad.updated_time`) and are then resolved on that ancestor of the row's object.

use super::catalog::*;
use super::errors::ApiError;
use super::ids::Kind;
use super::names;
use super::world::World;
use serde_json::Value;
use std::borrow::Cow;

/// Filter operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    In,
    NotIn,
    Equal,
    NotEqual,
    Gt,
    Gte,
    Lt,
    Lte,
    Contain,
    NotContain,
}

/// One parsed filter.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    /// Entity the field belongs to; `None` = the object listed / the row's level.
    pub entity: Option<Kind>,
    pub field: String,
    pub op: Op,
    pub values: Vec<Value>,
}

/// Insights metrics a filter may name; the simulator accepts them and ignores them, since
/// served rows always have activity (documented fidelity choice).
const METRIC_FIELDS: [&str; 8] =
    ["impressions", "spend", "clicks", "reach", "ctr", "cpc", "cpm", "frequency"];

fn op_of(s: &str) -> Option<Op> {
    Some(match s {
        "IN" => Op::In,
        "NOT_IN" => Op::NotIn,
        "EQUAL" => Op::Equal,
        "NOT_EQUAL" => Op::NotEqual,
        "GREATER_THAN" => Op::Gt,
        "GREATER_THAN_OR_EQUAL" => Op::Gte,
        "LESS_THAN" => Op::Lt,
        "LESS_THAN_OR_EQUAL" => Op::Lte,
        "CONTAIN" => Op::Contain,
        "NOT_CONTAIN" => Op::NotContain,
        _ => return None,
    })
}

fn entity_of(prefix: &str) -> Option<Kind> {
    Some(match prefix {
        "campaign" => Kind::Campaign,
        "adset" => Kind::AdSet,
        "ad" => Kind::Ad,
        "account" => Kind::Account,
        _ => return None,
    })
}

/// Parses `filtering`: a JSON array of filter objects, or the same objects as a comma list
/// without the brackets (`{…},{…}`), like every list parameter (docs/graph-api.md §5.2).
pub(crate) fn parse(raw: &str) -> Result<Vec<Filter>, ApiError> {
    let t = raw.trim();
    let wrapped;
    let text = if t.starts_with('[') {
        t
    } else {
        wrapped = format!("[{t}]");
        wrapped.as_str()
    };
    let v: Value =
        serde_json::from_str(text).map_err(|_| ApiError::invalid("param filtering must be an array."))?;
    let Value::Array(items) = v else { return Err(ApiError::invalid("param filtering must be an array.")) };
    let mut out = Vec::new();
    for item in items {
        let field = item.get("field").and_then(Value::as_str).unwrap_or_default();
        let op = item.get("operator").and_then(Value::as_str).and_then(op_of);
        let Some(op) = op else {
            return Err(ApiError::invalid(&format!("Filtering field '{field}' has an invalid operator")));
        };
        let (entity, name) = match field.split_once('.') {
            Some((p, f)) => (Some(entity_of(p).ok_or_else(|| bad_field(field))?), f.to_string()),
            None => (None, field.to_string()),
        };
        let values = match item.get("value") {
            Some(Value::Array(a)) => a.clone(),
            Some(v) => vec![v.clone()],
            None => Vec::new(),
        };
        if name == "effective_status" || name == "configured_status" || name == "status" {
            for v in &values {
                if v.as_str().and_then(effective_index).is_none() {
                    return Err(ApiError::invalid(&format!(
                        "Filtering field '{field}' with operation '{}' and value '{v}' is not supported",
                        item["operator"].as_str().unwrap_or_default().to_lowercase()
                    )));
                }
            }
        }
        out.push(Filter { entity, field: name, op, values });
    }
    Ok(out)
}

fn bad_field(field: &str) -> ApiError {
    ApiError::invalid(&format!("Filtering field '{field}' is invalid"))
}

/// A value of an object's field.
enum Val {
    S(Cow<'static, str>),
    N(i64),
}

/// Index of the `target` ancestor (or self) of object `idx` of `kind`; `None` when `target`
/// is below `kind`.
pub(crate) fn ancestor(w: &World, kind: Kind, idx: usize, target: Kind) -> Option<usize> {
    match (kind, target) {
        (a, b) if a == b => Some(idx),
        (Kind::Ad, Kind::AdSet) => Some(w.ad_adset(idx)),
        (Kind::Ad, Kind::Campaign) => Some(w.ad_campaign(idx)),
        (Kind::Ad, Kind::Account) => Some(w.ad_account(idx)),
        (Kind::AdSet, Kind::Campaign) => Some(w.adset_campaign(idx)),
        (Kind::AdSet, Kind::Account) => Some(w.campaign_account(w.adset_campaign(idx))),
        (Kind::Campaign, Kind::Account) => Some(w.campaign_account(idx)),
        (Kind::Creative, Kind::Account) => Some(w.ad_account(idx)),
        _ => None,
    }
}

fn value(w: &World, kind: Kind, idx: usize, field: &str) -> Option<Val> {
    let status = |k: Kind| match k {
        Kind::Campaign => Some(w.campaign_status(idx)),
        Kind::AdSet => Some(w.adset_status(idx)),
        Kind::Ad => Some(w.ad_status(idx)),
        _ => None,
    };
    let configured = |k: Kind| match k {
        Kind::Campaign => Some(w.campaigns[idx].configured),
        Kind::AdSet => Some(w.adsets[idx].configured),
        Kind::Ad => Some(w.ads[idx].configured),
        _ => None,
    };
    let times = |k: Kind| match k {
        Kind::Campaign => Some((w.campaigns[idx].created, w.campaigns[idx].updated)),
        Kind::AdSet => Some((w.adsets[idx].created, w.adsets[idx].updated)),
        Kind::Ad => Some((w.ads[idx].created, w.ads[idx].updated)),
        Kind::Account => Some((w.accounts[idx].created, w.accounts[idx].created)),
        _ => None,
    };
    Some(match field {
        "effective_status" => Val::S(Cow::Borrowed(EFFECTIVE[status(kind)? as usize])),
        "configured_status" | "status" => Val::S(Cow::Borrowed(EFFECTIVE[configured(kind)? as usize])),
        "updated_time" => Val::N(times(kind)?.1),
        "created_time" => Val::N(times(kind)?.0),
        "id" => Val::N(w.ids.id(kind, idx) as i64),
        "objective" if kind == Kind::Campaign => {
            Val::S(Cow::Borrowed(OBJECTIVES[w.campaigns[idx].objective as usize]))
        }
        "name" => Val::S(Cow::Owned(match kind {
            Kind::Campaign => names::campaign(w, idx),
            Kind::AdSet => names::adset(w, idx),
            Kind::Ad => names::ad(w, idx),
            Kind::Account => names::account(w, idx),
            _ => return None,
        })),
        _ => return None,
    })
}

fn num(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Filter {
    /// Whether this filter names an insights metric (accepted and ignored).
    pub(crate) fn is_metric(&self) -> bool {
        METRIC_FIELDS.contains(&self.field.as_str())
    }

    /// Checks that the filter can apply to objects of `kind`.
    pub(crate) fn validate(&self, kind: Kind, insights: bool) -> Result<(), ApiError> {
        if insights && self.is_metric() {
            return Ok(());
        }
        let target = self.entity.unwrap_or(kind);
        if ancestor_kind_ok(kind, target) && known_field(target, &self.field) {
            return Ok(());
        }
        Err(bad_field(&match self.entity {
            Some(_) => format!("{}.{}", entity_name(target), self.field),
            None => self.field.clone(),
        }))
    }

    /// Whether object `idx` of `kind` passes.
    pub(crate) fn matches(&self, w: &World, kind: Kind, idx: usize) -> bool {
        if self.is_metric() {
            return true;
        }
        let target = self.entity.unwrap_or(kind);
        let Some(i) = ancestor(w, kind, idx, target) else { return true };
        let Some(v) = value(w, target, i, &self.field) else { return true };
        match (self.op, v) {
            (Op::In, Val::S(s)) => self.values.iter().any(|x| x.as_str() == Some(s.as_ref())),
            (Op::NotIn, Val::S(s)) => !self.values.iter().any(|x| x.as_str() == Some(s.as_ref())),
            (Op::In, Val::N(n)) => self.values.iter().any(|x| num(x) == Some(n)),
            (Op::NotIn, Val::N(n)) => !self.values.iter().any(|x| num(x) == Some(n)),
            (Op::Equal, Val::S(s)) => self.values.first().is_some_and(|x| text(x) == s),
            (Op::NotEqual, Val::S(s)) => self.values.first().is_none_or(|x| text(x) != s),
            (Op::Contain, Val::S(s)) => self.values.first().is_some_and(|x| s.contains(&text(x))),
            (Op::NotContain, Val::S(s)) => self.values.first().is_none_or(|x| !s.contains(&text(x))),
            (op, Val::N(n)) => {
                let Some(x) = self.values.first().and_then(num) else { return false };
                match op {
                    Op::Equal => n == x,
                    Op::NotEqual => n != x,
                    Op::Gt => n > x,
                    Op::Gte => n >= x,
                    Op::Lt => n < x,
                    Op::Lte => n <= x,
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether this is an `effective_status` filter on `entity` (or the listed kind).
    pub(crate) fn is_status_of(&self, kind: Kind) -> bool {
        self.field == "effective_status" && self.entity.unwrap_or(kind) == kind
    }
}

fn ancestor_kind_ok(kind: Kind, target: Kind) -> bool {
    let rank = |k: Kind| match k {
        Kind::Account => 0,
        Kind::Campaign => 1,
        Kind::AdSet => 2,
        Kind::Ad | Kind::Creative => 3,
        _ => 9,
    };
    rank(target) <= rank(kind)
}

fn known_field(kind: Kind, field: &str) -> bool {
    match field {
        "effective_status" | "configured_status" | "status" => {
            matches!(kind, Kind::Campaign | Kind::AdSet | Kind::Ad)
        }
        "updated_time" | "created_time" | "id" | "name" => kind != Kind::Creative,
        "objective" => kind == Kind::Campaign,
        _ => false,
    }
}

/// Wire name of an entity prefix.
pub(crate) fn entity_name(k: Kind) -> &'static str {
    match k {
        Kind::Campaign => "campaign",
        Kind::AdSet => "adset",
        Kind::Ad => "ad",
        Kind::Account => "account",
        _ => "object",
    }
}
