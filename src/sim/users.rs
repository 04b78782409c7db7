//! The two user edges Airbyte's `ad_account` stream reads before it picks its fields:
//! `/me/business_users` (one `BusinessUser` per business the token's user belongs to) and
//! `/act_X/assigned_users?business=B` (the users of business B assigned to the account, each
//! with its `tasks`). Every simulated user belongs to every business of the world; its
//! business-scoped id differs from its app-scoped `/me` id, as at Meta. Cursor paging as on
//! every edge (docs/graph-api.md §3).

use super::ctx::Ctx;
use super::ctx::requested;
use super::errors::ApiError;
use super::fields::Field;
use super::fields::known::{self, List};
use super::ids::Kind;
use super::json::Obj;
use super::paging::{self, Cursor};
use super::render;
use super::request::Resp;
use super::world::World;

/// Simulated users (index 0 the system user, 1 the ads manager: see `/me`).
const USERS: usize = 2;

/// Edge fields of `assigned_users` beyond `AssignedUser.Field` (Meta's edge reference lists
/// them; Airbyte reads `tasks` without asking for it).
const ASSIGNED_EDGE_FIELDS: [&str; 2] = ["tasks", "permitted_tasks"];

/// Business-scoped id of `user` in business `b`.
fn scoped_id(w: &World, b: usize, user: usize) -> String {
    w.ids.str(Kind::User, USERS + b * USERS + user)
}

fn user_name(user: usize) -> &'static str {
    if user == 0 { "Sim System User" } else { "Sim Ads Manager" }
}

fn tasks(user: usize) -> &'static str {
    if user == 0 {
        r#"["MANAGE","ADVERTISE","ANALYZE","DRAFT"]"#
    } else {
        r#"["ADVERTISE","ANALYZE","DRAFT"]"#
    }
}

fn refuse(name: &str, node: &str) -> ApiError {
    ApiError::invalid(&format!("Tried accessing nonexisting field ({name}) on node type ({node})"))
}

/// Checks `fields` against `list` (plus `extra`); a `business{…}` selection against Business.
fn validate(fields: &[Field], list: List, extra: &[&str], node: &str) -> Result<(), ApiError> {
    for f in fields {
        if !known::has(list, &f.name) && !extra.contains(&f.name.as_str()) {
            return Err(refuse(&f.name, node));
        }
        if f.name == "business" && !f.sub.is_empty() {
            render::validate(Kind::Business, &f.sub)?;
        }
    }
    Ok(())
}

fn business(w: &World, b: usize, f: &Field, o: &mut Obj<'_>) {
    let default =
        [Field { name: "id".into(), sub: Vec::new() }, Field { name: "name".into(), sub: Vec::new() }];
    let sub = if f.sub.is_empty() { &default[..] } else { &f.sub[..] };
    render::entity(w, Kind::Business, b, sub, o.key("business"));
}

/// `GET /me/business_users` (and `/{user_id}/business_users`).
pub(crate) fn business_users(ctx: &Ctx<'_>) -> Result<Resp, ApiError> {
    // Meta serves the business by default on this edge: Airbyte asks for no fields and reads
    // `business` (docs/simulator.md).
    let fields = requested(ctx, &["id", "name", "business"])?;
    validate(&fields, List::BusinessUser, &[], "BusinessUser")?;
    let user = ctx.token.as_ref().map_or(0, |t| t.1.user_index as usize);
    let w = ctx.sim.world();
    let items: Vec<String> = (0..w.businesses.len())
        .map(|b| {
            let mut out = String::new();
            let mut o = Obj::new(&mut out);
            for f in &fields {
                match f.name.as_str() {
                    "id" => o.str("id", &scoped_id(&w, b, user)),
                    "name" => o.str("name", user_name(user)),
                    "business" => business(&w, b, f, &mut o),
                    "role" => o.str("role", if user == 0 { "ADMIN" } else { "EMPLOYEE" }),
                    "marked_for_removal" => o.raw("marked_for_removal", "false"),
                    "two_fac_status" => o.str("two_fac_status", "two_fac_enabled"),
                    _ => {}
                }
            }
            o.end();
            out
        })
        .collect();
    drop(w);
    page(ctx, &items)
}

/// `GET /act_X/assigned_users?business=B`: `business` is required (error 100 without it).
pub(crate) fn assigned_users(ctx: &Ctx<'_>, account: usize) -> Result<Resp, ApiError> {
    let raw = ctx.params.get("business").map(str::trim).filter(|s| !s.is_empty());
    let Some(raw) = raw else {
        return Err(ApiError::invalid("The parameter business is required"));
    };
    let fields = requested(ctx, &["id", "name", "tasks"])?;
    validate(&fields, List::AssignedUser, &ASSIGNED_EDGE_FIELDS, "AssignedUser")?;
    let w = ctx.sim.world();
    let b = match w.ids.decode_segment(raw) {
        Some((Kind::Business, b)) if b < w.businesses.len() => b,
        _ => return Err(ApiError::invalid("Param business must be a valid business id")),
    };
    let acc = &w.accounts[account];
    let related = acc.business as usize == b || acc.client_of == Some(b as u32);
    let users = if related { 0..USERS } else { 0..0 };
    let items: Vec<String> = users
        .map(|u| {
            let mut out = String::new();
            let mut o = Obj::new(&mut out);
            for f in &fields {
                match f.name.as_str() {
                    "id" => o.str("id", &scoped_id(&w, b, u)),
                    "name" => o.str("name", user_name(u)),
                    "tasks" | "permitted_tasks" => o.raw(&f.name, tasks(u)),
                    "business" => business(&w, b, f, &mut o),
                    "user_type" => o.str("user_type", if u == 0 { "SYSTEM_USER" } else { "BUSINESS_USER" }),
                    _ => {}
                }
            }
            o.end();
            out
        })
        .collect();
    drop(w);
    page(ctx, &items)
}

/// One page of already rendered `items`: `limit`, `after`, cursors, `next`, `summary`, and now
/// and then an empty continuation page that still has `next`, as on the other listings.
fn page(ctx: &Ctx<'_>, items: &[String]) -> Result<Resp, ApiError> {
    let limit = paging::limit(ctx.params.get("limit"), ctx.sim.cfg.limits.max_list_limit)?;
    let after = paging::after(ctx.params.get("after"))?;
    if let Some(empty) = ctx.injected_empty_page(after) {
        return Ok(empty);
    }
    let mut out = String::new();
    let mut o = Obj::new(&mut out);
    let start = after.map_or(0, |c| c.a as usize).min(items.len());
    let end = (start + limit).min(items.len());
    o.raw("data", &format!("[{}]", items[start..end].join(",")));
    if end > start {
        let before = Cursor { a: start as u64, ..Cursor::default() };
        let after = Cursor { a: end as u64, ..Cursor::default() };
        let next = (end < items.len()).then(|| ctx.page_url("after", &after.encode()));
        paging::write(&mut o, before, after, next.as_deref(), None);
    }
    // The SDK sends `summary=true` on every edge it iterates, as `listings` answers it.
    if ctx.params.get("summary").is_some_and(|s| s == "true" || s == "1") {
        o.raw("summary", &format!("{{\"total_count\":{}}}", items.len()));
    }
    o.end();
    Ok(Resp::json(out))
}
