//! The Graph client side of the tests: clients on a running simulator, settings for fast tests,
//! a token source that can rotate, and request-log queries.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use meta_ads_sync::config::MetaConfig;
use meta_ads_sync::graph::{GraphClient, GraphError, StaticToken, TokenSource};
use meta_ads_sync::sim::{RequestLog, SimStats};
use secrecy::SecretString;

/// The simulator side, re-exported so a client test needs one `use`.
#[allow(unused_imports)]
pub use super::sim::{Env, NOW, start, world};

impl Env {
    /// A client with the system-user token and `cfg` pointed at this simulator.
    pub fn client(&self, mut cfg: MetaConfig) -> GraphClient {
        cfg.base_url = self.server.base_url();
        let token = StaticToken::new(self.sim.system_user_token().into());
        let c = GraphClient::new(&cfg, Arc::new(token)).expect("client config is valid");
        c.set_jitter_seed(5);
        c
    }

    /// A client with a custom token source.
    pub fn client_with(&self, mut cfg: MetaConfig, tokens: Arc<dyn TokenSource>) -> GraphClient {
        cfg.base_url = self.server.base_url();
        GraphClient::new(&cfg, tokens).expect("client config is valid")
    }

    /// Clear faults, counters and budgets between the rows of a table test.
    pub fn reset(&self) {
        self.sim.clear_faults();
        self.sim.reset_stats();
        self.sim.reset_limits();
    }
}

/// Client settings for tests: real policy, short waits (retries in milliseconds, throttles in
/// fractions of a second), production budgets unless a test narrows them.
pub fn fast() -> MetaConfig {
    let mut c = MetaConfig::default();
    c.retry.backoff_seconds = 0.02;
    c.retry.max_backoff_seconds = 0.1;
    c.retry.throttle_backoff_seconds = 0.3;
    c.retry.policy_block_backoff_seconds = 0.3;
    c.timeouts.attempt_seconds = 5.0;
    c.timeouts.operation_seconds = 60.0;
    c.report_run.poll_seconds = 0.02;
    c.report_run.max_poll_seconds = 0.1;
    c
}

/// Logged calls with this method whose path ends with `suffix` (e.g. `act_1/campaigns`).
pub fn calls<'a>(stats: &'a SimStats, method: &str, suffix: &str) -> Vec<&'a RequestLog> {
    stats.log.iter().filter(|r| r.method == method && r.path.ends_with(suffix) && r.endpoint != "/").collect()
}

/// Logged batch envelopes.
pub fn envelopes(stats: &SimStats) -> Vec<&RequestLog> {
    stats.log.iter().filter(|r| r.endpoint == "/" && !r.batch_item).collect()
}

/// The value of a logged parameter.
pub fn param<'a>(r: &'a RequestLog, key: &str) -> Option<&'a str> {
    r.params.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// A token source that hands out `next` once when asked to refresh.
pub struct Rotating {
    current: Mutex<String>,
    next: Mutex<Option<String>>,
    pub refreshes: AtomicU32,
}

impl Rotating {
    /// Starts with `current`; a refresh yields `next` (once), then `None`.
    pub fn new(current: String, next: Option<String>) -> Arc<Self> {
        Arc::new(Self { current: Mutex::new(current), next: Mutex::new(next), refreshes: AtomicU32::new(0) })
    }
}

impl TokenSource for Rotating {
    fn current(&self) -> SecretString {
        self.current.lock().unwrap().clone().into()
    }

    fn refresh(&self) -> BoxFuture<'_, Result<Option<SecretString>, GraphError>> {
        Box::pin(async move {
            self.refreshes.fetch_add(1, Ordering::SeqCst);
            let next = self.next.lock().unwrap().take();
            if let Some(t) = &next {
                *self.current.lock().unwrap() = t.clone();
            }
            Ok(next.map(SecretString::from))
        })
    }
}
