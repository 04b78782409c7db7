//! Batch requests (docs/graph-api.md §4): `POST /` with `batch=[…]` of at most 50 items; each item runs
//! through the normal pipeline (and counts as a call) and comes back as
//! `{"code", "headers", "body": "<JSON as a string>"}`, or `null` when it "timed out".

use super::ctx::{Ctx, Wire};
use super::errors::ApiError;
use super::request::{Params, Req, Resp};
use serde_json::{Value, json};

/// Most items Meta accepts in one batch.
pub(crate) const MAX_ITEMS: usize = 50;

/// `POST /` with a `batch` parameter.
pub(crate) fn handle(ctx: &Ctx<'_>) -> Result<Resp, ApiError> {
    let Some(raw) = ctx.params.get("batch") else {
        return Err(ApiError::invalid("Unsupported post request: a batch parameter is required"));
    };
    let items: Vec<Value> = match serde_json::from_str(raw) {
        Ok(Value::Array(a)) => a,
        _ => return Err(ApiError::invalid("The parameter batch must be a JSON array")),
    };
    if items.len() > MAX_ITEMS {
        return Err(ApiError::new(1, "Too many requests in batch message. Maximum batch size is 50")
            .kind("GraphBatchException"));
    }
    let include_headers = ctx.params.get("include_headers") != Some("false");
    let top_token = ctx.req.bearer.clone().or_else(|| ctx.params.get("access_token").map(str::to_string));
    let top_proof: Vec<(String, String)> = ["appsecret_proof", "appsecret_time"]
        .into_iter()
        .filter_map(|k| ctx.params.get(k).map(|v| (k.to_string(), v.to_string())))
        .collect();
    ctx.sim.stats_state().s.batch_requests += 1;
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        let Some(req) = item_request(item, top_token.as_deref(), &top_proof) else {
            let e = ApiError::invalid("Each batch item needs a method and a relative_url");
            out.push(item_json(&Resp::error(&e, &ctx.trace), include_headers));
            continue;
        };
        let outcome = ctx.pipeline.call(&req);
        match outcome.wire {
            Wire::Null | Wire::Hang | Wire::Reset => out.push(Value::Null),
            Wire::Normal => out.push(item_json(&outcome.resp, include_headers)),
        }
    }
    Ok(Resp::json(Value::Array(out).to_string()))
}

/// An item without its own `access_token` runs with the batch's token, and so with the batch's
/// `appsecret_proof`/`appsecret_time`: Meta's SDKs sign only the top-level POST (docs/graph-api.md §4, §7).
fn item_request(item: &Value, top_token: Option<&str>, top_proof: &[(String, String)]) -> Option<Req> {
    let method = item.get("method").and_then(Value::as_str).unwrap_or("GET").to_uppercase();
    let url = item.get("relative_url").and_then(Value::as_str)?;
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let form = match item.get("body") {
        Some(Value::String(s)) => Params::parse(s),
        Some(Value::Object(m)) => Params(
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                .collect(),
        ),
        _ => Params::default(),
    };
    let mut query = Params::parse(query);
    let own_token = query.get("access_token").is_some() || form.get("access_token").is_some();
    if !own_token && query.get("appsecret_proof").is_none() && form.get("appsecret_proof").is_none() {
        query.0.extend(top_proof.iter().cloned());
    }
    Some(Req {
        method,
        path: format!("/{}", path.trim_start_matches('/')),
        query,
        form,
        bearer: if own_token { None } else { top_token.map(str::to_string) },
        batch_item: true,
    })
}

fn item_json(resp: &Resp, include_headers: bool) -> Value {
    // Auth failures of items come back as 403 with WWW-Authenticate (docs/graph-api.md §4).
    let code = match resp.error {
        Some((190 | 102 | 104, _)) => 403,
        _ => resp.status,
    };
    let mut v = json!({ "code": code, "body": resp.body });
    if include_headers {
        let mut headers = vec![json!({"name": "Content-Type", "value": "text/javascript; charset=UTF-8"})];
        headers.extend(resp.headers.iter().map(|(n, val)| json!({"name": n, "value": val})));
        v["headers"] = Value::Array(headers);
    }
    v
}
