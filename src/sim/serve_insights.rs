//! Serving insights pages (sync calls and async results): the data-size limits, then rows
//! written straight into the response buffer.

use super::dispatch::Ctx;
use super::errors::ApiError;
use super::ids::Kind;
use super::insights::engine::{Plan, plan};
use super::insights::query::{self, InsightsQuery};
use super::insights::row;
use super::json::Obj;
use super::paging::{self, Cursor};
use super::request::Resp;
use super::world::local_day;

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
    if (limit as u64).saturating_mul(p.fields.len() as u64 + 2) > ctx.sim.cfg.limits.max_page_cells {
        return Err(ApiError::reduce_data());
    }
    let after = paging::after(ctx.params.get("after"))?;
    let start = after.map_or((p.lo, 0), |c| (c.a as usize, c.b as usize));
    let mut out = String::with_capacity(64 + 400 * limit.min(10_000));
    let mut o = Obj::new(&mut out);
    if paging::inject_empty(ctx.sim.cfg.seed, ctx.sim.cfg.empty_page_rate, &ctx.req.path, after) {
        let c = after.unwrap_or_default();
        o.raw("data", "[]");
        let next = Cursor { empty_done: true, ..c };
        paging::write(&mut o, c, next, Some(&ctx.page_url("after", &next.encode())), None);
        o.end();
        return Ok(Resp::json(out));
    }
    let w = ctx.sim.world();
    let mut rows = 0usize;
    let mut first = None;
    let mut last = start;
    let stop = {
        let data = o.key("data");
        data.push('[');
        let stop = p.walk(&w, start, |obj, b, c| {
            if rows == limit {
                return false;
            }
            if rows > 0 {
                data.push(',');
            }
            row::write(&w, p, obj, b, c, data);
            first.get_or_insert((obj, b));
            last = (obj, b + 1);
            rows += 1;
            true
        });
        data.push(']');
        stop
    };
    let cursor = |(a, b): (usize, usize)| Cursor { a: a as u64, b: b as u64, empty_done: false };
    let before = cursor(first.unwrap_or(start));
    let after_c = cursor(stop.unwrap_or(last));
    let next = stop.map(|_| ctx.page_url("after", &after_c.encode()));
    paging::write(&mut o, before, after_c, next.as_deref(), None);
    o.end();
    let mut resp = Resp::json(out);
    resp.rows = rows as u64;
    Ok(resp)
}
