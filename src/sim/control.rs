//! `/__sim/*` control endpoints: the same control surface as [`Sim`] over HTTP, for clients
//! in other languages and for the `demo` command.

use super::core::Sim;
use super::faults::FaultRule;
use super::mutations::Mutation;
use super::truth::TruthQuery;
use crate::model::InsightLevel;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The control routes.
pub(crate) fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/__sim/stats", get(stats).delete(reset_stats))
        .route("/__sim/truth", get(truth))
        .route("/__sim/mutate", post(mutate))
        .route("/__sim/faults", post(add_fault).delete(clear_faults))
        .route("/__sim/tokens", post(issue_token))
        .route("/__sim/tokens/expire", post(expire_token))
        .route("/__sim/limits/reset", post(reset_limits))
        .route("/__sim/clock/advance", post(advance))
        .route("/__sim/accounts", get(accounts))
}

async fn stats(State(sim): State<Arc<Sim>>) -> Response {
    Json(sim.stats()).into_response()
}

async fn reset_stats(State(sim): State<Arc<Sim>>) -> Response {
    sim.reset_stats();
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct TruthParams {
    /// Comma list of levels, default `account,campaign,adset,ad`.
    levels: Option<String>,
    since: chrono::NaiveDate,
    until: chrono::NaiveDate,
}

async fn truth(State(sim): State<Arc<Sim>>, Query(p): Query<TruthParams>) -> Response {
    let levels = p.levels.as_deref().unwrap_or("account,campaign,adset,ad");
    let levels: Option<Vec<InsightLevel>> =
        levels.split(',').filter(|s| !s.is_empty()).map(|s| InsightLevel::parse(s.trim())).collect();
    let Some(levels) = levels else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "levels: account, campaign, adset, ad"})))
            .into_response();
    };
    let q = TruthQuery { levels, since: p.since, until: p.until };
    let truth = tokio::task::spawn_blocking(move || sim.truth(&q)).await;
    match truth {
        Ok(t) => Json(t).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn mutate(State(sim): State<Arc<Sim>>, Json(m): Json<Mutation>) -> Response {
    match sim.mutate(m) {
        Ok(()) => Json(json!({"ok": true})).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({"error": e.to_string()}))).into_response(),
    }
}

async fn add_fault(State(sim): State<Arc<Sim>>, Json(rule): Json<FaultRule>) -> Response {
    sim.inject(rule);
    Json(json!({"ok": true})).into_response()
}

async fn clear_faults(State(sim): State<Arc<Sim>>) -> Response {
    sim.clear_faults();
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct TokenParams {
    ttl_seconds: Option<u64>,
}

async fn issue_token(State(sim): State<Arc<Sim>>, body: Option<Json<TokenParams>>) -> Response {
    let ttl = body.and_then(|b| b.0.ttl_seconds).map(std::time::Duration::from_secs);
    Json(json!({"access_token": sim.issue_token(ttl)})).into_response()
}

#[derive(Deserialize)]
struct ExpireParams {
    token: String,
}

async fn expire_token(State(sim): State<Arc<Sim>>, Json(p): Json<ExpireParams>) -> Response {
    sim.expire_token(&p.token);
    Json(json!({"ok": true})).into_response()
}

async fn reset_limits(State(sim): State<Arc<Sim>>) -> Response {
    sim.reset_limits();
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct AdvanceParams {
    seconds: u64,
}

async fn advance(State(sim): State<Arc<Sim>>, Json(p): Json<AdvanceParams>) -> Response {
    sim.advance_clock(std::time::Duration::from_secs(p.seconds));
    Json(json!({"ok": true, "now": sim.now()})).into_response()
}

async fn accounts(State(sim): State<Arc<Sim>>) -> Response {
    Json(json!({"accounts": sim.account_ids(), "businesses": sim.business_ids()})).into_response()
}
