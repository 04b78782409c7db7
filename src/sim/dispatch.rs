//! The call pipeline shared by HTTP requests and batch items: version check, fault
//! injection, authentication and `appsecret_proof`, rate limits, routing, usage headers on
//! every answer, and the request log.

use super::auth::{Token, TokenKind, check_proof};
use super::core::Sim;
use super::ctx::{Ctx, Outcome, Pipeline, Wire};
use super::errors::ApiError;
use super::faults::{CallInfo, Fault};
use super::ids::Kind;
use super::limits::{Cost, account_ref};
use super::request::{Params, Req, Resp, SECRET_PARAMS};
use super::routes::{Route, Routed, route};
use super::stats::RequestLog;
use super::versions;

fn fault_name(f: &Fault) -> String {
    match f {
        Fault::Error { code, subcode: Some(s), .. } => format!("error {code}/{s}"),
        Fault::Error { code, .. } => format!("error {code}"),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
            .unwrap_or_default(),
    }
}

fn redact(params: &Params) -> Vec<(String, String)> {
    params
        .0
        .iter()
        .map(|(k, v)| {
            if SECRET_PARAMS.contains(&k.as_str()) || k == "batch" && v.contains("access_token") {
                (k.clone(), "[redacted]".to_string())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

impl Pipeline for Sim {
    fn call(&self, req: &Req) -> Outcome {
        self.handle(req)
    }
}

impl Sim {
    /// Handles one call end to end.
    pub(crate) fn handle(&self, req: &Req) -> Outcome {
        let trace = self.trace_id();
        let (version, rest) = versions::split(&req.path);
        let token_in_url = req.query.get("access_token").is_some();
        let token_str = req.bearer.clone().or_else(|| req.param("access_token").map(str::to_string));
        let routed = {
            let w = self.world();
            let jobs = self.jobs();
            route(&w, rest, jobs.len(), &|i| jobs.account_of(i))
        };
        let account_id = routed.account.map(|a| self.world().ids.str(Kind::Account, a));
        let fault = self.fault_rules().check(
            self.cfg.seed,
            &CallInfo {
                method: &req.method,
                path: &req.path,
                endpoint: &routed.endpoint,
                account_id: account_id.as_deref(),
                insights: routed.insights,
                batch_item: req.batch_item,
            },
        );
        let mut wire = Wire::Normal;
        let mut latency_ms = 0;
        let mut throttled = false;
        let mut ctx = Ctx {
            sim: self,
            req,
            params: req.params(),
            routed: &routed,
            pipeline: self,
            token: None,
            job_fault: None,
            trace: trace.clone(),
        };
        let result = (|| -> Result<Resp, ApiError> {
            if let Some(v) = version {
                versions::check(v, self.now(), &self.cfg.api_version)?;
            }
            match &fault {
                Some(Fault::Error { code, subcode, http_status, message }) => {
                    let mut e = ApiError::for_code(*code, *subcode);
                    if let Some(s) = http_status {
                        e.http = *s;
                    }
                    if let Some(m) = message {
                        e.message = m.clone();
                    }
                    return Err(e);
                }
                Some(Fault::ReduceData) => return Err(ApiError::reduce_data()),
                Some(Fault::TooMuchData) => return Err(ApiError::data_per_call()),
                Some(Fault::Latency { ms }) => latency_ms = *ms,
                Some(Fault::Reset) => wire = Wire::Reset,
                Some(Fault::Hang) => wire = Wire::Hang,
                Some(Fault::BatchNull) => wire = if req.batch_item { Wire::Null } else { Wire::Hang },
                Some(f @ (Fault::JobFailed { .. } | Fault::JobSkipped)) => ctx.job_fault = Some(f.clone()),
                Some(Fault::ExpireToken) => {
                    if let Some(t) = &token_str {
                        self.expire_token(t);
                    }
                }
                _ => {}
            }
            let needs_user =
                !matches!(routed.route, Route::Root | Route::Dialog | Route::OAuthToken | Route::DebugToken);
            if needs_user {
                let token = self.authenticate(token_str.as_deref(), &ctx.params)?;
                if token.1.kind == TokenKind::App {
                    return Err(ApiError::permission());
                }
                let now = self.clock.instant();
                let acc = account_ref(&self.world(), &self.cfg.limits, routed.account, account_id.as_deref());
                let cost = Cost { insights: routed.insights, write: req.method != "GET" };
                if let Err(e) = self.limiter().admit(now, acc, cost, Some(&token.0)) {
                    throttled = true;
                    return Err(e);
                }
                ctx.token = Some(token);
            }
            super::handlers::handle(&mut ctx)
        })();
        let mut resp = match result {
            Ok(r) => r,
            Err(e) => Resp::error(&e, &trace),
        };
        self.decorate(&mut resp, &fault, &routed, account_id.as_deref());
        let entry = RequestLog {
            at_ms: self.clock_ms(),
            method: req.method.clone(),
            path: req.path.clone(),
            endpoint: routed.endpoint.clone(),
            params: redact(&ctx.params),
            account_id,
            insights: routed.insights,
            batch_item: req.batch_item,
            status: if wire == Wire::Null { 0 } else { resp.status },
            error_code: resp.error.map(|e| e.0),
            error_subcode: resp.error.and_then(|e| e.1),
            token_in_url,
            rows: resp.rows,
            fault: fault.as_ref().map(fault_name),
        };
        let limit = self.cfg.request_log_limit;
        self.stats_state().record(entry, throttled, limit);
        Outcome { resp, wire, latency_ms }
    }

    fn clock_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Usage headers, and body-level faults (HTML, malformed, truncated).
    fn decorate(&self, resp: &mut Resp, fault: &Option<Fault>, routed: &Routed, account_id: Option<&str>) {
        let usage = {
            let now = self.clock.instant();
            let acc = account_ref(&self.world(), &self.cfg.limits, routed.account, account_id);
            self.limiter().usage(now, acc)
        };
        resp.headers.extend(usage.headers());
        resp.headers.push(("facebook-api-version".to_string(), self.cfg.api_version.clone()));
        match fault {
            Some(Fault::Html500) => {
                resp.status = 500;
                resp.content_type = "text/html; charset=utf-8";
                resp.body = "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1><p>We're working on it and we'll get it fixed as soon as we can.</p></body></html>".to_string();
                resp.error = Some((1, None));
            }
            Some(Fault::Malformed) => {
                resp.status = 200;
                resp.body = "{\"data\": [{\"id\": \"1\",, Service Unavailable".to_string();
                resp.error = None;
            }
            Some(Fault::Truncated) => {
                let cut = (resp.body.len() / 2).max(1).min(resp.body.len());
                let mut cut = cut;
                while !resp.body.is_char_boundary(cut) {
                    cut -= 1;
                }
                resp.body.truncate(cut);
            }
            _ => {}
        }
    }

    /// Validates the token and the `appsecret_proof`.
    fn authenticate(&self, token: Option<&str>, params: &Params) -> Result<(String, Token), ApiError> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Err(ApiError::new(104, "An access token is required to request this resource."));
        };
        let now = self.now().timestamp();
        let info = self.tokens().check(token, now, &self.cfg.app_id, &self.cfg.app_secret)?;
        let wall = chrono::Utc::now().timestamp();
        check_proof(
            &self.cfg.app_secret,
            token,
            params.get("appsecret_proof"),
            params.get("appsecret_time"),
            self.cfg.require_appsecret_proof,
            wall,
        )?;
        Ok((token.to_string(), info))
    }
}
