//! Serving insights pages (sync calls and async results): the data-size limits, then rows
//! written straight into the response buffer.

use super::ctx::Ctx;
use super::errors::ApiError;
use super::ids::Kind;
use super::insights::engine::{Plan, plan};
use super::insights::metrics::Counts;
use super::insights::query::{self, InsightsQuery};
use super::insights::row;
use super::json::Obj;
use super::paging::{self, Cursor};
use super::request::Resp;
use super::world::{World, local_day};
use crate::model::InsightLevel;

/// Plans `q` on a node, for the account's today.
pub(crate) fn plan_for(ctx: &Ctx<'_>, kind: Kind, idx: usize, q: &InsightsQuery) -> Result<Plan, ApiError> {
    let w = ctx.sim.world();
    let account = super::filtering::ancestor(&w, kind, idx, Kind::Account).unwrap_or(0);
    let today = local_day(w.accounts[account].tz, ctx.sim.now().timestamp());
    plan(&w, kind, idx, q, today)
}

/// `GET /{node}/insights`.
pub(crate) fn sync(ctx: &Ctx<'_>, kind: Kind, idx: usize) -> Result<Resp, ApiError> {
    let q = query::parse(&ctx.params)?;
    let p = plan_for(ctx, kind, idx, &q)?;
    let cells = p.estimated_rows().saturating_mul(p.fields.len() as u64 + 2);
    if cells > ctx.sim.cfg.limits.max_query_cells {
        return Err(ApiError::data_per_call());
    }
    page(ctx, &p)
}

/// One page of `plan`'s rows.
pub(crate) fn page(ctx: &Ctx<'_>, p: &Plan) -> Result<Resp, ApiError> {
    let limit = paging::limit(ctx.params.get("limit"), u32::MAX)?;
    let lim = &ctx.sim.cfg.limits;
    if limit > lim.max_page_rows as usize
        || (limit as u64).saturating_mul(p.fields.len() as u64 + 2) > lim.max_page_cells
    {
        return Err(ApiError::reduce_data());
    }
    let after = paging::after(ctx.params.get("after"))?;
    let start = after.map_or((p.lo, 0), |c| (c.a as usize, c.b as usize));
    if let Some(empty) = ctx.injected_empty_page(after) {
        return Ok(empty);
    }
    let mut out = String::with_capacity(64 + 400 * limit.min(10_000));
    let mut o = Obj::new(&mut out);
    let w = ctx.sim.world();
    let (rows, before, after_c, more) = match &p.sort {
        None => walk_page(&w, p, start, limit),
        Some(_) => sorted_page(&w, p, after.map_or(0, |c| c.a as usize), limit),
    };
    {
        let data = o.key("data");
        data.push('[');
        for (i, (obj, b, c)) in rows.iter().enumerate() {
            if i > 0 {
                data.push(',');
            }
            row::write(&w, p, *obj, *b, c, data);
        }
        data.push(']');
    }
    let next = more.then(|| ctx.page_url("after", &after_c.encode()));
    paging::write(&mut o, before, after_c, next.as_deref(), None);
    if !p.summary.is_empty() {
        summary(&w, p, o.key("summary"));
    }
    o.end();
    let mut resp = Resp::json(out);
    resp.rows = rows.len() as u64;
    Ok(resp)
}

/// A page's rows with the cursors before and after it, and whether more rows follow.
type PageRows = (Vec<(usize, usize, Counts)>, Cursor, Cursor, bool);

fn cursor(a: usize, b: usize) -> Cursor {
    Cursor { a: a as u64, b: b as u64, empty_done: false }
}

/// Rows in (object, bucket) order from position `start`.
fn walk_page(w: &World, p: &Plan, start: (usize, usize), limit: usize) -> PageRows {
    let mut rows = Vec::with_capacity(limit.min(10_000));
    let mut last = start;
    let stop = p.walk(w, start, |obj, b, c| {
        if rows.len() == limit {
            return false;
        }
        rows.push((obj, b, *c));
        last = (obj, b + 1);
        true
    });
    let first = rows.first().map_or(start, |r| (r.0, r.1));
    let end = stop.unwrap_or(last);
    (rows, cursor(first.0, first.1), cursor(end.0, end.1), stop.is_some())
}

/// Rows ordered by `sort` (stable: ties keep (object, bucket) order); cursors are positions
/// in that order.
fn sorted_page(w: &World, p: &Plan, from: usize, limit: usize) -> PageRows {
    let Some(sort) = &p.sort else { return walk_page(w, p, (p.lo, 0), limit) };
    let offset = w.currency(p.account).1;
    let mut all = Vec::new();
    p.walk(w, (p.lo, 0), |obj, b, c| {
        all.push((obj, b, *c));
        true
    });
    let key = |c: &Counts| sort.value(c, offset);
    all.sort_by(|x, y| {
        let o = key(&x.2).total_cmp(&key(&y.2));
        if sort.descending { o.reverse() } else { o }
    });
    let total = all.len();
    let from = from.min(total);
    let end = (from + limit).min(total);
    let rows = all.drain(from..end).collect();
    (rows, cursor(from, 0), cursor(end, 0), end < total)
}

/// The `summary` object: the whole result added up, over the full date span, with the
/// summary's fields (account-level: no object ids below the account).
fn summary(w: &World, p: &Plan, out: &mut String) {
    let mut total = Counts::default();
    p.walk(w, (p.lo, 0), |_, _, c| {
        total.add(c);
        true
    });
    let since = p.buckets.iter().map(|b| b.0).min().unwrap_or(p.data_days.1);
    let until = p.buckets.iter().map(|b| b.1).max().unwrap_or(p.data_days.1);
    let sp = Plan {
        level: InsightLevel::Account,
        buckets: vec![(since, until)],
        fields: p.summary.clone(),
        ..p.clone()
    };
    row::write(w, &sp, p.account, 0, &total, out);
}
