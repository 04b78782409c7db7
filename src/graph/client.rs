//! `GraphClient`: its parts (transport, auth, pacing and budgets, retry policy, stats), and
//! `call` — one request carried through the error-code policy: gate, send, classify, plan the
//! next step (`retry.rs`), perform it.

use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tokio::time::Instant;

use super::auth::{Auth, Refresh, TokenSource};
use super::backoff::{BackoffPolicy, secs};
use super::budget::{Budgets, Permit};
use super::classify::{Context, Policy, classify};
use super::error::GraphError;
use super::fault::Fault;
use super::gate::{Limits, Shut, Target};
use super::options::GraphOptions;
use super::pacing::{PaceKey, Pacer, from_now, wall_clock};
use super::request::GraphRequest;
use super::retry::{Attempts, Failed, Next, RetryPolicy, Step, next_step};
use super::stats::{ClientStats, Counters, SkippedItem};
use super::transport::Transport;
use super::usage::Usage;
use crate::config::MetaConfig;

/// The Graph API client. Cheap to clone; clones share budgets, pacing, tokens and stats, so one
/// client per process paces every account correctly.
#[derive(Clone)]
pub struct GraphClient {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Deliberately no token, no secret.
        f.debug_struct("GraphClient")
            .field("base_url", &self.inner.transport.shown_base_url())
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    pub transport: Transport,
    pub auth: Auth,
    pub limits: Limits,
    pub retry: RetryPolicy,
    pub counters: Counters,
    pub page_size: u32,
    pub batch_max: usize,
    pub operation_timeout: Duration,
    pub poll: (Duration, Duration),
}

impl GraphClient {
    /// Build a client from `meta:` config with the default [`GraphOptions`]. Fails on invalid
    /// settings (batch size above 50, zero window or page size, a base URL that is not http(s)).
    pub fn new(cfg: &MetaConfig, tokens: Arc<dyn TokenSource>) -> Result<Self, GraphError> {
        Self::with_options(&GraphOptions::new(cfg), tokens)
    }

    /// Build a client from full options (body cap, idle timeout, first transient wait).
    pub fn with_options(opts: &GraphOptions, tokens: Arc<dyn TokenSource>) -> Result<Self, GraphError> {
        opts.validate()?;
        let cfg = &opts.meta;
        let rl = &cfg.rate_limit;
        let window = Duration::from_secs(rl.window_seconds);
        let cap = secs(cfg.retry.max_backoff_seconds);
        Ok(Self {
            inner: Arc::new(Inner {
                transport: Transport::new(opts)?,
                auth: Auth::new(tokens, cfg.app_secret.clone()),
                limits: Limits {
                    budgets: Budgets::new(
                        window,
                        rl.calls_per_hour,
                        rl.insights_per_hour,
                        rl.app_calls_per_hour,
                    ),
                    pacer: Pacer::new(window, rl.calls_per_hour, rl.slow_down_at_pct),
                },
                retry: RetryPolicy {
                    transient: BackoffPolicy::new(opts.transient_first_wait.min(cap), cap, None),
                    throttle: BackoffPolicy::from_config(&cfg.retry, None),
                    codes: Policy {
                        throttle_backoff: secs(cfg.retry.throttle_backoff_seconds),
                        policy_block_backoff: secs(cfg.retry.policy_block_backoff_seconds),
                    },
                    max_attempts: cfg.retry.max_attempts,
                },
                counters: Counters::default(),
                page_size: cfg.page_size,
                batch_max: cfg.batch.max_size,
                operation_timeout: opts.operation_timeout(),
                poll: (secs(cfg.report_run.poll_seconds), secs(cfg.report_run.max_poll_seconds)),
            }),
        })
    }

    /// Fix the backoff jitter (tests that want exact waits); by default it is seeded from the clock.
    pub fn set_jitter_seed(&self, seed: u64) {
        self.inner.retry.reseed(seed);
    }

    /// One Graph call through the whole policy: pacing, budgets, retries, token refresh, throttle
    /// waits, page-size shrinking. Returns the JSON body of the success.
    pub async fn call(&self, req: &GraphRequest) -> Result<Value, GraphError> {
        self.execute(req.clone(), Context::default()).await.map(|(v, _)| v)
    }

    /// What the client did so far.
    pub fn stats(&self) -> ClientStats {
        self.inner.counters.snapshot()
    }

    /// Code-100 items logged and skipped so far, with their `fbtrace_id`.
    pub fn skipped(&self) -> Vec<SkippedItem> {
        self.inner.counters.skipped()
    }

    /// `call` with a context; also returns the request as finally sent (its `limit` may have been
    /// shrunk), so paging can grow it back.
    pub(crate) async fn execute(
        &self,
        mut req: GraphRequest,
        ctx: Context,
    ) -> Result<(Value, GraphRequest), GraphError> {
        let deadline = from_now(self.inner.operation_timeout);
        let mut att = Attempts::new(&self.inner.retry, ctx);
        let account = req.account_id.clone();
        loop {
            let scope = [(account.as_deref(), req.is_insights())];
            // Waiting for pacing, the gate always ends with a permit or an error.
            let permit = self.gate(&scope, deadline, &req.path, true).await?;
            let token = self.inner.auth.token();
            self.count_call(&mut att, req.is_insights());
            let (result, usage) = self.send(&req, &token.token, deadline).await;
            drop(permit);
            self.inner.limits.pacer.observe(account.as_deref(), &usage, Instant::now());
            let fault = match result {
                Ok(v) => {
                    self.inner.transport.mark_answered();
                    return Ok((v, req));
                }
                Err(f) => f,
            };
            match self.settle(&mut req, &mut att, &fault, &usage, token.generation, deadline).await {
                Next::Resend { after } => self.pause(after, deadline, &req.path).await?,
                Next::Fail(e) => return Err(e),
            }
        }
    }

    fn count_call(&self, att: &mut Attempts, insights: bool) {
        let c = &self.inner.counters;
        if att.sent > 0 {
            Counters::add(&c.retries, 1);
        }
        att.sent += 1;
        Counters::add(&c.requests, 1);
        Counters::add(&c.calls, 1);
        if insights {
            Counters::add(&c.insights_calls, 1);
        }
    }

    /// Pass the gate (`gate.rs`) for `items`, counting the time waited.
    pub(crate) async fn gate(
        &self,
        items: &[Target<'_>],
        deadline: Instant,
        path: &str,
        wait_for_pacing: bool,
    ) -> Result<Option<Permit>, GraphError> {
        let mut waited = Duration::ZERO;
        let passed = self.inner.limits.pass(items, deadline, wait_for_pacing, &mut waited).await;
        self.inner.counters.waited(waited);
        passed.map_err(|shut| self.shut_error(shut, items, path))
    }

    /// The error for a gate that stays shut.
    pub(crate) fn shut_error(&self, shut: Shut, items: &[Target<'_>], path: &str) -> GraphError {
        match shut {
            Shut::Deadline => self.deadline_error(path),
            Shut::Throttled { account_index, block } => GraphError::Throttled {
                account: account_index.and_then(|i| items[i].0).map(str::to_string),
                code: block.code,
                until: wall_clock(block.until),
            },
        }
    }

    pub(crate) fn deadline_error(&self, path: &str) -> GraphError {
        GraphError::Deadline { seconds: self.inner.operation_timeout.as_secs_f64(), path: path.to_string() }
    }

    /// Sleep `d` unless that passes the deadline.
    pub(crate) async fn pause(&self, d: Duration, deadline: Instant, path: &str) -> Result<(), GraphError> {
        if d.is_zero() {
            return Ok(());
        }
        if from_now(d) > deadline {
            return Err(self.deadline_error(path));
        }
        self.inner.counters.waited(d);
        tokio::time::sleep(d).await;
        Ok(())
    }

    /// Classify a failed attempt, plan the next step and perform it.
    pub(crate) async fn settle(
        &self,
        req: &mut GraphRequest,
        att: &mut Attempts,
        fault: &Fault,
        usage: &Usage,
        generation: u64,
        deadline: Instant,
    ) -> Next {
        let inner = &self.inner;
        if matches!(fault, Fault::Api { .. }) {
            inner.transport.mark_answered();
        }
        let account = req.account_id.clone();
        let failure = fault.as_failure(inner.transport.answered());
        let decision = classify(&failure, usage, account.as_deref(), &inner.retry.codes, att.ctx);
        let path = req.relative_path().to_string();
        let what = inner.auth.scrub(&fault.describe());
        let (message, fbtrace) = match fault {
            Fault::Api { error, .. } => (Some(inner.auth.scrub(&error.message)), error.fbtrace_id.clone()),
            _ => (None, None),
        };
        let base_url = inner.transport.shown_base_url();
        let failed = Failed {
            path: &path,
            account: account.as_deref(),
            fault,
            what: &what,
            message: message.as_deref(),
            limit: req.limit(),
            base_url: &base_url,
        };
        let step = next_step(decision, att, &failed, inner.retry.max_attempts);
        let (account, fbtrace) = (account.as_deref(), fbtrace.as_deref());
        match step {
            Step::Retry { after, retry } => {
                tracing::info!(%path, ?account, retry, wait_ms = after.as_millis() as u64, error = %what,
                    fbtrace_id = ?fbtrace, "retrying transient failure");
                Next::Resend { after }
            }
            Step::ResendNow => {
                tracing::info!(%path, ?account, "re-sending a null batch item at once");
                Next::Resend { after: Duration::ZERO }
            }
            Step::Refresh { reason } => match inner.auth.refresh(generation).await {
                Ok(Refresh::Refreshed) => {
                    Counters::add(&inner.counters.token_refreshes, 1);
                    Next::Resend { after: Duration::ZERO }
                }
                Ok(Refresh::ByAnother) => Next::Resend { after: Duration::ZERO },
                Ok(Refresh::Impossible) => {
                    tracing::warn!(%path, ?account, "token rejected and cannot be refreshed: stopping");
                    let reason = format!("{reason}; no refresh possible");
                    Next::Fail(GraphError::NeedsReauth { account: account.map(str::to_string), reason })
                }
                Err(e) => Next::Fail(e),
            },
            Step::Block { account: scoped, wait, code } => {
                Counters::add(&inner.counters.throttles, 1);
                let until = from_now(wait);
                let key = scoped.as_deref().map_or(PaceKey::App, PaceKey::account);
                inner.limits.pacer.block(key, until, code);
                tracing::warn!(%path, account = ?scoped, code, wait_s = wait.as_secs_f64(), fbtrace_id = ?fbtrace,
                    "throttled: scope stopped until access returns");
                if until > deadline {
                    return Next::Fail(GraphError::Throttled {
                        account: scoped,
                        code,
                        until: wall_clock(until),
                    });
                }
                Next::Resend { after: Duration::ZERO }
            }
            Step::Shrink { from, to } => {
                tracing::info!(%path, ?account, from, to, "too much data: shrinking page");
                req.set_param("limit", Some(to.to_string()));
                Next::Resend { after: Duration::ZERO }
            }
            Step::Skip(item) => {
                tracing::warn!(%path, ?account, code = item.code, subcode = item.subcode, fbtrace_id = ?fbtrace,
                    message = %item.message, "skipping item");
                let err = GraphError::Skipped {
                    path: item.path.clone(),
                    code: item.code,
                    subcode: item.subcode,
                    message: item.message.clone(),
                    fbtrace_id: item.fbtrace_id.clone(),
                };
                inner.counters.skip(item);
                Next::Fail(err)
            }
            Step::Fail(e) => {
                tracing::warn!(%path, ?account, attempts = att.sent, fbtrace_id = ?fbtrace, error = %e, "graph call failed");
                Next::Fail(e)
            }
        }
    }

    async fn send(
        &self,
        req: &GraphRequest,
        token: &SecretString,
        deadline: Instant,
    ) -> (Result<Value, Fault>, Usage) {
        let mut params = req.params.clone();
        self.inner.auth.sign(&mut params, token);
        let rb = self
            .inner
            .transport
            .request(req.method.clone(), req.relative_path())
            .bearer_auth(token.expose_secret());
        let rb = if req.params_in_query() { rb.query(&params) } else { rb.form(&params) };
        tracing::debug!(method = %req.method, path = %req.relative_path(), account = ?req.account_id, "graph request");
        self.inner.transport.round_trip(rb, deadline, req.lean_rows).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::auth::StaticToken;

    fn assert_send<T: Send>(_: &T) {}

    /// The sync engine spawns these on a multi-threaded runtime.
    #[test]
    fn public_futures_and_streams_are_send() {
        let c = GraphClient::new(&MetaConfig::default(), Arc::new(StaticToken::new("t".into()))).unwrap();
        let req = GraphRequest::get("me");
        assert_send(&c.call(&req));
        assert_send(&c.batch(vec![req.clone()]));
        assert_send(&c.pages(req));
        assert_send(&c.report_run("1", Vec::new()));
    }
}
