//! Route handlers: nodes, edges, `/me`, OAuth endpoints and the batch envelope.

use super::ctx::{Ctx, requested};
use super::errors::ApiError;
use super::ids::Kind;
use super::json::Obj;
use super::mutations::Mutation;
use super::request::Resp;
use super::routes::Route;
use super::{async_jobs, batch, listings, oauth, render, serve_insights, users};

/// Runs the handler of the call's route.
pub(crate) fn handle(ctx: &mut Ctx<'_>) -> Result<Resp, ApiError> {
    let method = ctx.req.method.as_str();
    match (&ctx.routed.route.clone(), method) {
        (Route::Root, "POST") => batch::handle(ctx),
        (Route::Dialog, _) => oauth::dialog(ctx),
        (Route::OAuthToken, _) => oauth::access_token(ctx),
        (Route::DebugToken, "GET") => oauth::debug_token(ctx),
        (Route::Me, "GET") => me(ctx),
        (Route::MeEdge(edge), "GET") | (Route::Edge(Kind::User, _, edge), "GET") => match edge.as_str() {
            "adaccounts" => listings::accounts(ctx, listings::AccountSet::All),
            "businesses" => listings::businesses(ctx),
            "business_users" => users::business_users(ctx),
            _ => Err(ApiError::unknown_path(edge)),
        },
        (Route::Node(Kind::ReportRun, i), "GET") => async_jobs::status(ctx, *i),
        (Route::Node(Kind::User, _), "GET") => me(ctx),
        (Route::Node(kind, i), "GET") => node(ctx, *kind, *i),
        (Route::Node(kind, i), "POST") => write(ctx, *kind, *i),
        (Route::Node(kind, i), "DELETE") => delete(ctx, *kind, *i),
        (Route::Edge(Kind::ReportRun, i, e), "GET") if e == "insights" => async_jobs::results(ctx, *i),
        (Route::Edge(kind, i, e), "GET") if e == "insights" => serve_insights::sync(ctx, *kind, *i),
        (Route::Edge(kind, i, e), "POST") if e == "insights" => async_jobs::create(ctx, *kind, *i),
        (Route::Edge(Kind::Account, i, e), "GET") if e == "assigned_users" => users::assigned_users(ctx, *i),
        (Route::Edge(kind, i, e), "GET") => listings::edge(ctx, *kind, *i, e),
        (Route::Unknown(id), _) => Err(ApiError::unsupported_get(id)),
        (_, m) => Err(ApiError::invalid(&format!("Unsupported {} request", m.to_lowercase()))),
    }
}

fn me(ctx: &Ctx<'_>) -> Result<Resp, ApiError> {
    let w = ctx.sim.world();
    let user = ctx.token.as_ref().map_or(0, |t| t.1.user_index as usize);
    let mut out = String::new();
    let mut o = Obj::new(&mut out);
    o.str("id", &w.ids.str(Kind::User, user));
    o.str("name", if user == 0 { "Sim System User" } else { "Sim Ads Manager" });
    o.end();
    Ok(Resp::json(out))
}

fn node(ctx: &Ctx<'_>, kind: Kind, idx: usize) -> Result<Resp, ApiError> {
    let fields = requested(ctx, &["id"])?;
    render::validate(kind, &fields)?;
    let w = ctx.sim.world();
    let mut out = String::with_capacity(512);
    render::entity(&w, kind, idx, &fields, &mut out);
    Ok(Resp::json(out))
}

/// `POST /{id}`: status and budget edits, as Graph writes.
fn write(ctx: &Ctx<'_>, kind: Kind, idx: usize) -> Result<Resp, ApiError> {
    let id = ctx.sim.world().ids.str(kind, idx);
    if !matches!(kind, Kind::Campaign | Kind::AdSet | Kind::Ad) {
        return Err(ApiError::invalid("This object does not support updates in the simulator"));
    }
    let minor = |k: &str| -> Result<Option<u64>, ApiError> {
        ctx.params
            .get(k)
            .map(|v| {
                v.parse::<u64>().map_err(|_| ApiError::invalid(&format!("Param {k} must be an integer")))
            })
            .transpose()
    };
    let (daily, lifetime) = (minor("daily_budget")?, minor("lifetime_budget")?);
    let mut changes = Vec::new();
    if daily.is_some() || lifetime.is_some() {
        changes.push(Mutation::SetBudget {
            object_id: id.clone(),
            daily_budget: daily,
            lifetime_budget: lifetime,
        });
    }
    if let Some(status) = ctx.params.get("status") {
        let object_id = id.clone();
        changes.push(match status {
            "ACTIVE" => Mutation::Activate { object_id },
            "PAUSED" => Mutation::Pause { object_id },
            "ARCHIVED" => Mutation::Archive { object_id },
            "DELETED" => Mutation::Delete { object_id },
            _ => {
                return Err(ApiError::invalid(
                    "Param status must be one of {ACTIVE, PAUSED, DELETED, ARCHIVED}",
                ));
            }
        });
    }
    for m in changes {
        ctx.sim.mutate(m).map_err(|e| ApiError::invalid(&e.to_string()))?;
    }
    Ok(Resp::json("{\"success\":true}".to_string()))
}

fn delete(ctx: &Ctx<'_>, kind: Kind, idx: usize) -> Result<Resp, ApiError> {
    let object_id = ctx.sim.world().ids.str(kind, idx);
    ctx.sim.mutate(Mutation::Delete { object_id }).map_err(|e| ApiError::invalid(&e.to_string()))?;
    Ok(Resp::json("{\"success\":true}".to_string()))
}
