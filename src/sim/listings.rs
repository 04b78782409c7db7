//! Edge listings (`/act_X/campaigns`, `/me/adaccounts`, `/{business}/owned_ad_accounts`, …):
//! field selection, `filtering`, the default that hides ARCHIVED and DELETED objects, and
//! cursor paging with its quirks.

use super::catalog::{ARCHIVED, DELETED};
use super::ctx::{Ctx, requested};
use super::errors::ApiError;
use super::fields::Field;
use super::filtering::{self, Filter, Op};
use super::ids::Kind;
use super::json::Obj;
use super::paging::{self, Cursor};
use super::render;
use super::request::Resp;
use super::world::World;
use serde_json::Value;

/// Which ad accounts a listing shows.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AccountSet {
    /// Every account the token sees (`/me/adaccounts`).
    All,
    /// Accounts owned by a business.
    Owned(usize),
    /// Accounts a business manages for clients.
    Client(usize),
}

/// `/me/adaccounts` and the business account edges.
pub(crate) fn accounts(ctx: &Ctx<'_>, set: AccountSet) -> Result<Resp, ApiError> {
    let fields = requested(ctx, &["account_id", "id"])?;
    render::validate(Kind::Account, &fields)?;
    let filters = filters(ctx, Kind::Account)?;
    let n = ctx.sim.world().accounts.len();
    page(ctx, Kind::Account, (0, n), &fields, &|w, a| {
        let acc = &w.accounts[a];
        let member = match set {
            AccountSet::All => true,
            AccountSet::Owned(b) => acc.business as usize == b,
            AccountSet::Client(b) => acc.client_of == Some(b as u32),
        };
        member && filters.iter().all(|f| f.matches(w, Kind::Account, a))
    })
}

/// `/me/businesses`.
pub(crate) fn businesses(ctx: &Ctx<'_>) -> Result<Resp, ApiError> {
    let fields = requested(ctx, &["id", "name"])?;
    render::validate(Kind::Business, &fields)?;
    let n = ctx.sim.world().businesses.len();
    page(ctx, Kind::Business, (0, n), &fields, &|_, _| true)
}

/// Child listings of a node.
pub(crate) fn edge(ctx: &Ctx<'_>, kind: Kind, idx: usize, edge: &str) -> Result<Resp, ApiError> {
    let (child, range) = {
        let w = ctx.sim.world();
        let span = |r: (u32, u32)| (r.0 as usize, r.1 as usize);
        match (kind, edge) {
            (Kind::Business, "owned_ad_accounts") => return accounts(ctx, AccountSet::Owned(idx)),
            (Kind::Business, "client_ad_accounts") => return accounts(ctx, AccountSet::Client(idx)),
            (Kind::Account, "campaigns") => (Kind::Campaign, span(w.accounts[idx].campaigns)),
            (Kind::Account, "adsets") => (Kind::AdSet, w.account_adsets(idx)),
            (Kind::Account, "ads") => (Kind::Ad, w.account_ads(idx)),
            (Kind::Account, "adcreatives") => (Kind::Creative, w.account_ads(idx)),
            (Kind::Campaign, "adsets") => (Kind::AdSet, span(w.campaigns[idx].adsets)),
            (Kind::Campaign, "ads") => (Kind::Ad, w.campaign_ads(idx)),
            (Kind::AdSet, "ads") => (Kind::Ad, span(w.adsets[idx].ads)),
            (Kind::Ad, "adcreatives") => (Kind::Creative, (idx, idx + 1)),
            _ => {
                let node = match kind {
                    Kind::Account => "AdAccount",
                    Kind::Campaign => "Campaign",
                    Kind::AdSet => "AdSet",
                    Kind::Ad => "Adgroup",
                    _ => "Node",
                };
                return Err(ApiError::invalid(&format!(
                    "Tried accessing nonexisting field ({edge}) on node type ({node})"
                )));
            }
        }
    };
    let fields = requested(ctx, &["id"])?;
    render::validate(child, &fields)?;
    let filters = filters(ctx, child)?;
    // Default listings hide ARCHIVED and DELETED objects (docs/graph-api.md §6.6).
    let hide = matches!(child, Kind::Campaign | Kind::AdSet | Kind::Ad)
        && !filters.iter().any(|f| f.is_status_of(child));
    page(ctx, child, range, &fields, &|w, i| {
        if hide {
            let s = match child {
                Kind::Campaign => w.campaign_status(i),
                Kind::AdSet => w.adset_status(i),
                _ => w.ad_status(i),
            };
            if s == ARCHIVED || s == DELETED {
                return false;
            }
        }
        filters.iter().all(|f| f.matches(w, child, i))
    })
}

/// `filtering`, plus the `effective_status` and `updated_since` edge parameters.
fn filters(ctx: &Ctx<'_>, kind: Kind) -> Result<Vec<Filter>, ApiError> {
    let mut out = match ctx.params.get("filtering") {
        Some(f) if !f.trim().is_empty() => filtering::parse(f)?,
        _ => Vec::new(),
    };
    for f in &out {
        f.validate(kind, false)?;
    }
    if let Some(raw) = ctx.params.get("effective_status").filter(|s| !s.trim().is_empty()) {
        let values: Vec<Value> = match serde_json::from_str::<Value>(raw) {
            Ok(Value::Array(a)) => a,
            _ => raw.split(',').map(|s| Value::String(s.trim().to_string())).collect(),
        };
        let json = serde_json::json!([{"field": "effective_status", "operator": "IN", "value": values}]);
        out.extend(filtering::parse(&json.to_string())?);
    }
    if let Some(since) = ctx.params.get("updated_since") {
        let n: i64 =
            since.parse().map_err(|_| ApiError::invalid("Param updated_since must be an integer"))?;
        out.push(Filter {
            entity: None,
            field: "updated_time".into(),
            op: Op::Gt,
            values: vec![Value::from(n)],
        });
    }
    Ok(out)
}

/// One page of objects of `kind` in `range` passing `keep`.
fn page(
    ctx: &Ctx<'_>,
    kind: Kind,
    range: (usize, usize),
    fields: &[Field],
    keep: &dyn Fn(&World, usize) -> bool,
) -> Result<Resp, ApiError> {
    let limit = paging::limit(ctx.params.get("limit"), ctx.sim.cfg.limits.max_list_limit)?;
    let after = paging::after(ctx.params.get("after"))?;
    if let Some(empty) = ctx.injected_empty_page(after) {
        return Ok(empty);
    }
    let mut out = String::with_capacity(256 * limit.min(1000));
    let mut o = Obj::new(&mut out);
    let w = ctx.sim.world();
    let start = after.map_or(range.0, |c| (c.a as usize).max(range.0));
    let mut items = Vec::with_capacity(limit.min(1024));
    let mut next = None;
    for i in start..range.1 {
        if !keep(&w, i) {
            continue;
        }
        if items.len() == limit {
            next = Some(i);
            break;
        }
        items.push(i);
    }
    {
        let data = o.key("data");
        data.push('[');
        for (n, &i) in items.iter().enumerate() {
            if n > 0 {
                data.push(',');
            }
            render::entity(&w, kind, i, fields, data);
        }
        data.push(']');
    }
    if let (Some(&first), Some(&last)) = (items.first(), items.last()) {
        let before = Cursor { a: first as u64, ..Cursor::default() };
        let after = Cursor { a: next.unwrap_or(last + 1) as u64, ..Cursor::default() };
        let url = next.map(|_| ctx.page_url("after", &after.encode()));
        paging::write(&mut o, before, after, url.as_deref(), None);
    }
    if ctx.params.get("summary").is_some_and(|s| s == "true" || s == "1") {
        let total = (range.0..range.1).filter(|&i| keep(&w, i)).count();
        o.raw("summary", &format!("{{\"total_count\":{total}}}"));
    }
    o.end();
    Ok(Resp::json(out))
}
