//! `GraphClient`: configuration, tokens and signing, the gate every call passes (pacing, then
//! budgets), and `call` — one request carried through the error-code policy.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tokio::time::Instant;

use super::auth::{TokenSource, appsecret_proof};
use super::backoff::{BackoffPolicy, secs};
use super::budget::{BudgetKey, Budgets, Permit};
use super::classify::{Context, Policy};
use super::error::GraphError;
use super::pacing::Pacer;
use super::request::GraphRequest;
use super::retry::{Attempts, Next};
use super::stats::{ClientStats, Counters, SkippedItem};
use super::transport::round_trip;
use crate::config::MetaConfig;

/// Meta rejects batches of more than 50 operations (facts §4).
pub const MAX_BATCH_SIZE: usize = 50;

/// The Graph API client. Cheap to clone; clones share budgets, pacing, tokens and stats, so one
/// client per process paces every account correctly.
#[derive(Clone)]
pub struct GraphClient {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Deliberately no token, no secret.
        f.debug_struct("GraphClient").field("base_url", &self.inner.base_url).finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    http: reqwest::Client,
    pub base_url: String,
    app_secret: Option<SecretString>,
    tokens: Arc<dyn TokenSource>,
    refreshed: RwLock<Option<SecretString>>,
    token_gen: AtomicU64,
    refresh_lock: tokio::sync::Mutex<()>,
    pub budgets: Arc<Budgets>,
    pub pacer: Pacer,
    pub backoff: BackoffPolicy,
    pub policy: Policy,
    pub max_attempts: u32,
    attempt_timeout: Duration,
    pub operation_timeout: Duration,
    pub page_size: u32,
    pub batch_max: usize,
    pub poll: (Duration, Duration),
    pub counters: Counters,
}

/// A token as used for one attempt, with the generation it belongs to (see `refresh_token`).
pub(crate) struct TokenUse {
    pub token: SecretString,
    pub generation: u64,
}

impl GraphClient {
    /// Build a client from `meta:` config. Fails on invalid settings (batch size above 50, zero
    /// window or page size, a base URL that is not http(s)).
    pub fn new(cfg: &MetaConfig, tokens: Arc<dyn TokenSource>) -> Result<Self, GraphError> {
        let bad = |m: String| Err(GraphError::Config(m));
        if cfg.batch.max_size == 0 || cfg.batch.max_size > MAX_BATCH_SIZE {
            return bad(format!(
                "meta.batch.max_size must be 1..={MAX_BATCH_SIZE}, got {}",
                cfg.batch.max_size
            ));
        }
        if cfg.page_size == 0 {
            return bad("meta.page_size must be at least 1".into());
        }
        if cfg.rate_limit.window_seconds == 0 {
            return bad("meta.rate_limit.window_seconds must be at least 1".into());
        }
        if !(cfg.timeouts.attempt_seconds > 0.0 && cfg.timeouts.operation_seconds > 0.0) {
            return bad("meta.timeouts.attempt_seconds and operation_seconds must be positive".into());
        }
        let base_url = cfg.base_url.trim_end_matches('/').to_string();
        match reqwest::Url::parse(&base_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.query().is_none() => {}
            _ => return bad(format!("meta.base_url is not an http(s) URL without query: {base_url:?}")),
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("meta-ads-sync/", env!("CARGO_PKG_VERSION")))
            // Graph answers never redirect; following one could carry the bearer header along.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| GraphError::Config(format!("HTTP client: {}", e.without_url())))?;
        let rl = &cfg.rate_limit;
        let window = Duration::from_secs(rl.window_seconds);
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base_url,
                app_secret: cfg.app_secret.clone(),
                tokens,
                refreshed: RwLock::new(None),
                token_gen: AtomicU64::new(0),
                refresh_lock: tokio::sync::Mutex::new(()),
                budgets: Budgets::new(window, rl.calls_per_hour, rl.insights_per_hour, rl.app_calls_per_hour),
                pacer: Pacer::new(window, rl.calls_per_hour, rl.slow_down_at_pct),
                backoff: BackoffPolicy::from_config(&cfg.retry, None),
                policy: Policy {
                    throttle_backoff: secs(cfg.retry.throttle_backoff_seconds),
                    policy_block_backoff: secs(cfg.retry.policy_block_backoff_seconds),
                },
                max_attempts: cfg.retry.max_attempts,
                attempt_timeout: secs(cfg.timeouts.attempt_seconds),
                operation_timeout: secs(cfg.timeouts.operation_seconds),
                page_size: cfg.page_size,
                batch_max: cfg.batch.max_size,
                poll: (secs(cfg.report_run.poll_seconds), secs(cfg.report_run.max_poll_seconds)),
                counters: Counters::default(),
            }),
        })
    }

    /// Fix the backoff jitter (tests that want exact waits); by default it is seeded from the clock.
    pub fn set_jitter_seed(&self, seed: u64) {
        self.inner.backoff.reseed(seed);
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
        let deadline = Instant::now() + self.inner.operation_timeout;
        let mut att = Attempts::new(&self.inner.backoff, ctx);
        let account = req.account_id.clone();
        loop {
            let scope = [(account.as_deref(), req.is_insights())];
            // Waiting for pacing, the gate always ends with a permit or an error.
            let permit = self.gate(&scope, deadline, &req.path, true).await?;
            let token = self.token();
            self.count_call(&mut att, req.is_insights());
            let (result, usage) = self.send(&req, &token.token, deadline).await;
            drop(permit);
            self.inner.pacer.observe(account.as_deref(), &usage, Instant::now());
            let fault = match result {
                Ok(v) => return Ok((v, req)),
                Err(f) => f,
            };
            match self.decide(&mut req, &mut att, &fault, &usage, token.generation, deadline).await {
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

    /// The gate every request passes: wait while a scope is stopped or slowed by pacing, then for
    /// room in every budget the request (or batch) draws from. Returns the budget charges.
    /// With `wait_for_pacing` false (batches) a scope that is not ready returns `Ok(None)`
    /// instead: the batch leaves that account's items for later rather than hold every item.
    pub(crate) async fn gate(
        &self,
        items: &[(Option<&str>, bool)],
        deadline: Instant,
        path: &str,
        wait_for_pacing: bool,
    ) -> Result<Option<Permit>, GraphError> {
        let inner = &self.inner;
        let mut demands: Vec<(BudgetKey, u32)> = Vec::new();
        for (account, insights) in items {
            for key in inner.budgets.demands(*account, *insights) {
                match demands.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => demands.push((key, 1)),
                }
            }
        }
        loop {
            let now = Instant::now();
            if let Some(at) = self.ready_at(items, now) {
                if !wait_for_pacing {
                    return Ok(None);
                }
                if at > deadline {
                    return Err(self.stopped_error(items, now, deadline, path));
                }
                inner.counters.waited(at - now);
                tokio::time::sleep_until(at).await;
                continue;
            }
            let acquired = tokio::time::timeout_at(deadline, inner.budgets.acquire(&demands)).await;
            let Ok((permit, waited)) = acquired else {
                return Err(self.deadline_error(path));
            };
            inner.counters.waited(waited);
            // A block or a spacing slot may have been taken while this call waited for budget:
            // take the pacing slot atomically, or give the budget back and wait again.
            let accounts: Vec<Option<&str>> = items.iter().map(|(a, _)| *a).collect();
            if inner.pacer.try_start(&accounts, Instant::now()).is_some() {
                permit.release();
                continue;
            }
            return Ok(Some(permit));
        }
    }

    fn ready_at(&self, items: &[(Option<&str>, bool)], now: Instant) -> Option<Instant> {
        items.iter().filter_map(|(a, _)| self.inner.pacer.ready_at(*a, now)).max()
    }

    fn stopped_error(
        &self,
        items: &[(Option<&str>, bool)],
        now: Instant,
        deadline: Instant,
        path: &str,
    ) -> GraphError {
        let block = items
            .iter()
            .filter_map(|(a, _)| Some((*a, self.inner.pacer.blocked(*a, now)?)))
            .max_by_key(|(_, b)| b.until);
        match block {
            Some((account, b)) if b.until > deadline => GraphError::Throttled {
                account: account.map(str::to_string),
                code: b.code,
                until: wall_clock(b.until),
            },
            _ => self.deadline_error(path),
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
        if Instant::now() + d > deadline {
            return Err(self.deadline_error(path));
        }
        self.inner.counters.waited(d);
        tokio::time::sleep(d).await;
        Ok(())
    }

    /// The token to send now.
    pub(crate) fn token(&self) -> TokenUse {
        let generation = self.inner.token_gen.load(Ordering::Acquire);
        let cached = self.inner.refreshed.read().unwrap_or_else(|p| p.into_inner()).clone();
        TokenUse { token: cached.unwrap_or_else(|| self.inner.tokens.current()), generation }
    }

    /// Refresh after a 190 on a request sent with token `generation`. Concurrent callers hit by
    /// the same expiry refresh once: whoever comes second sees a newer generation and just
    /// retries. `Ok(false)`: the source cannot refresh.
    pub(crate) async fn refresh_token(&self, generation: u64) -> Result<bool, GraphError> {
        let _one_at_a_time = self.inner.refresh_lock.lock().await;
        if self.inner.token_gen.load(Ordering::Acquire) != generation {
            return Ok(true);
        }
        match self.inner.tokens.refresh().await? {
            Some(token) => {
                *self.inner.refreshed.write().unwrap_or_else(|p| p.into_inner()) = Some(token);
                self.inner.token_gen.fetch_add(1, Ordering::AcqRel);
                Counters::add(&self.inner.counters.token_refreshes, 1);
                tracing::info!("access token refreshed after code 190");
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Remove every secret the client knows from text headed for a log or an error.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut secrets = vec![self.inner.tokens.current()];
        secrets.extend(self.inner.refreshed.read().unwrap_or_else(|p| p.into_inner()).clone());
        secrets.extend(self.inner.app_secret.clone());
        for s in &secrets {
            let s = s.expose_secret();
            if !s.is_empty() {
                out = out.replace(s, "[REDACTED]");
            }
        }
        out
    }

    /// `appsecret_proof` + `appsecret_time` when an app secret is configured (every call).
    pub(crate) fn sign(&self, params: &mut Vec<(String, String)>, token: &SecretString) {
        if let Some(secret) = &self.inner.app_secret {
            let time = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            params.push(("appsecret_proof".into(), appsecret_proof(token, secret, time)));
            params.push(("appsecret_time".into(), time.to_string()));
        }
    }

    /// The full URL of a path under the versioned root.
    pub(crate) fn url(&self, path: &str) -> String {
        let path = path.trim_matches('/');
        if path.is_empty() {
            format!("{}/", self.inner.base_url)
        } else {
            format!("{}/{path}", self.inner.base_url)
        }
    }

    /// Time left for one attempt: the per-attempt timeout, never past the operation deadline.
    pub(crate) fn attempt_limit(&self, deadline: Instant) -> Duration {
        self.inner.attempt_timeout.min(deadline.saturating_duration_since(Instant::now()))
    }

    async fn send(
        &self,
        req: &GraphRequest,
        token: &SecretString,
        deadline: Instant,
    ) -> (Result<Value, super::transport::Fault>, super::usage::Usage) {
        let mut params = req.params.clone();
        self.sign(&mut params, token);
        let rb = self
            .inner
            .http
            .request(req.method.clone(), self.url(req.relative_path()))
            .bearer_auth(token.expose_secret());
        let rb = if req.params_in_query() { rb.query(&params) } else { rb.form(&params) };
        tracing::debug!(method = %req.method, path = %req.relative_path(), account = ?req.account_id, "graph request");
        round_trip(rb, self.attempt_limit(deadline), req.lean_rows).await
    }

    /// The HTTP client and signing, for batch envelopes.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }
}

/// A tokio instant as wall-clock time (for errors the sync engine persists).
pub(crate) fn wall_clock(at: Instant) -> chrono::DateTime<chrono::Utc> {
    let left = at.saturating_duration_since(Instant::now());
    let left = chrono::TimeDelta::from_std(left).unwrap_or(chrono::TimeDelta::MAX);
    chrono::Utc::now().checked_add_signed(left).unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::StaticToken;

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
