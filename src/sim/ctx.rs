//! What a route handler receives: the call, its parameters, route and token, the simulator's
//! state, and the pipeline for calls the handler makes itself (batch items). Endpoint modules
//! depend on this file, never on the dispatcher that builds it.

use super::auth::Token;
use super::core::Sim;
use super::errors::ApiError;
use super::faults::Fault;
use super::fields::{self, Field};
use super::json::Obj;
use super::paging::{self, Cursor};
use super::request::{Params, Req, Resp};
use super::routes::Routed;

/// The call pipeline (version check, faults, authentication, limits, routing, log), as seen
/// by a handler that runs calls of its own.
pub(crate) trait Pipeline {
    /// Runs one call end to end, as if it had come in over HTTP.
    fn call(&self, req: &Req) -> Outcome;
}

/// How the answer travels (transport-level faults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wire {
    /// A normal answer.
    Normal,
    /// Drop the connection after the head.
    Reset,
    /// Never answer.
    Hang,
    /// A `null` batch item.
    Null,
}

/// Result of one call.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub resp: Resp,
    pub wire: Wire,
    pub latency_ms: u64,
}

/// Everything a route handler needs.
pub(crate) struct Ctx<'a> {
    pub sim: &'a Sim,
    pub req: &'a Req,
    pub params: Params,
    pub routed: &'a Routed,
    /// The whole call pipeline, for calls a handler makes itself (batch items).
    pub pipeline: &'a dyn Pipeline,
    pub token: Option<(String, Token)>,
    pub job_fault: Option<Fault>,
    pub trace: String,
}

impl Ctx<'_> {
    /// Absolute `next` URL: same path and query with `after` replaced. The query is echoed
    /// as sent, so a token the caller put in the URL comes back in `next` (as at Meta).
    pub(crate) fn page_url(&self, key: &str, cursor: &str) -> String {
        let root = self.sim.root.get().cloned().unwrap_or_default();
        let mut q = self.req.query.encode_without(&["after", "before"]);
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str(&serde_urlencoded::to_string([(key, cursor)]).unwrap_or_default());
        let path = if self.req.path.starts_with('/') {
            self.req.path.clone()
        } else {
            format!("/{}", self.req.path)
        };
        format!("{root}{path}?{q}")
    }

    /// The injected empty page that still has `next` (docs/graph-api.md §3), when the
    /// simulator's `empty_page_rate` picks this page of this listing; `None` otherwise.
    pub(crate) fn injected_empty_page(&self, after: Option<Cursor>) -> Option<Resp> {
        let cfg = &self.sim.cfg;
        if !paging::inject_empty(cfg.seed, cfg.empty_page_rate, &self.req.path, after) {
            return None;
        }
        let c = after.unwrap_or_default();
        let next = Cursor { empty_done: true, ..c };
        let mut out = String::new();
        let mut o = Obj::new(&mut out);
        o.raw("data", "[]");
        paging::write(&mut o, c, next, Some(&self.page_url("after", &next.encode())), None);
        o.end();
        Some(Resp::json(out))
    }
}

/// The `fields` of a call, or `default` when absent.
pub(crate) fn requested(ctx: &Ctx<'_>, default: &[&str]) -> Result<Vec<Field>, ApiError> {
    match ctx.params.get("fields") {
        Some(f) if !f.trim().is_empty() => fields::parse(f),
        _ => Ok(default.iter().map(|n| Field { name: n.to_string(), sub: Vec::new() }).collect()),
    }
}
