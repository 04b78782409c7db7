//! The simulator's state and its control handle ([`Sim`]): tokens, mutations, faults, stats
//! and ground truth, shared by the HTTP server and by tests in-process.

use super::auth::{TokenKind, TokenStore};
use super::clock::Clock;
use super::config::SimConfig;
use super::faults::{FaultRule, Faults};
use super::generate::generate;
use super::ids::Kind;
use super::jobs::Jobs;
use super::limits::Limiter;
use super::mutations::{Mutation, MutationError};
use super::stats::{SimStats, StatsState};
use super::truth::{Truth, TruthQuery};
use super::world::World;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// Control handle of a running simulator: what tests use to change the world, inject
/// faults and read what happened.
pub struct Sim {
    pub(crate) cfg: SimConfig,
    pub(crate) clock: Clock,
    pub(crate) world: RwLock<World>,
    pub(crate) tokens: Mutex<TokenStore>,
    pub(crate) system_token: String,
    pub(crate) limits: Mutex<Limiter>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) stats: Mutex<StatsState>,
    pub(crate) jobs: Mutex<Jobs>,
    pub(crate) root: OnceLock<String>,
    pub(crate) traces: AtomicU64,
    pub(crate) inflight: AtomicU64,
    pub(crate) peak: AtomicU64,
    pub(crate) started: tokio::time::Instant,
    pub(crate) closed: tokio::sync::watch::Sender<bool>,
}

impl std::fmt::Debug for Sim {
    // Tokens stay out of Debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim").field("cfg", &self.cfg).field("root", &self.root.get()).finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock must not take the whole simulator down.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sim {
    /// Generates the world of `cfg` (no server yet).
    pub fn new(cfg: SimConfig) -> Sim {
        let clock = Clock::new(cfg.now);
        let now = clock.now();
        let world = generate(&cfg, now);
        let (tokens, system_token) = TokenStore::new(cfg.seed, now.timestamp());
        let limits = Limiter::new(cfg.limits.clone(), clock.instant());
        Sim {
            clock,
            world: RwLock::new(world),
            tokens: Mutex::new(tokens),
            system_token,
            limits: Mutex::new(limits),
            faults: Mutex::new(Faults::default()),
            stats: Mutex::new(StatsState::default()),
            jobs: Mutex::new(Jobs::default()),
            root: OnceLock::new(),
            traces: AtomicU64::new(0),
            inflight: AtomicU64::new(0),
            peak: AtomicU64::new(0),
            started: tokio::time::Instant::now(),
            closed: tokio::sync::watch::channel(false).0,
            cfg,
        }
    }

    pub(crate) fn world(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn world_mut(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        lock(&self.tokens)
    }

    pub(crate) fn limiter(&self) -> MutexGuard<'_, Limiter> {
        lock(&self.limits)
    }

    pub(crate) fn stats_state(&self) -> MutexGuard<'_, StatsState> {
        lock(&self.stats)
    }

    pub(crate) fn jobs(&self) -> MutexGuard<'_, Jobs> {
        lock(&self.jobs)
    }

    pub(crate) fn fault_rules(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    /// The configuration the simulator runs with.
    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// Current simulated time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Moves the simulated clock (and the rate-limit windows) forward.
    pub fn advance_clock(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// A valid, non-expiring system-user token that sees every ad account.
    pub fn system_user_token(&self) -> String {
        self.system_token.clone()
    }

    /// Issues a user token that expires after `ttl` (`None` = never).
    pub fn issue_token(&self, ttl: Option<Duration>) -> String {
        let now = self.now().timestamp();
        let ttl = ttl.map(|d| d.as_secs().max(1) as i64);
        self.tokens().issue(self.cfg.seed, TokenKind::User, now, ttl, 1)
    }

    /// Expires a token now: later calls with it answer 190/463.
    pub fn expire_token(&self, token: &str) {
        let now = self.now().timestamp();
        self.tokens().expire(token, now);
    }

    /// Changes the world (budget edit, pause, archive, delete, restatement). Entity edits
    /// bump `updated_time`.
    pub fn mutate(&self, m: Mutation) -> Result<(), MutationError> {
        let now = self.now();
        super::mutations::apply(&mut self.world_mut(), m, now)
    }

    /// Installs a fault rule (rules are checked in the order installed).
    pub fn inject(&self, rule: FaultRule) {
        self.fault_rules().add(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.fault_rules().clear();
    }

    /// Forgets all counted calls: every budget is whole again.
    pub fn reset_limits(&self) {
        let now = self.clock.instant();
        self.limiter().reset(now);
    }

    /// Counters and the request log.
    pub fn stats(&self) -> SimStats {
        let mut s = self.stats_state().snapshot();
        s.peak_concurrent = s.peak_concurrent.max(self.peak.load(Ordering::Relaxed));
        s
    }

    /// Clears counters and the request log.
    pub fn reset_stats(&self) {
        *self.stats_state() = StatsState::default();
        self.peak.store(0, Ordering::Relaxed);
    }

    /// What a correct sync must store for `q` (all statuses, deleted objects included).
    pub fn truth(&self, q: &TruthQuery) -> Truth {
        super::truth::build(&self.world(), q, self.now())
    }

    /// Ad account ids (`act_…`) of the world, in order.
    pub fn account_ids(&self) -> Vec<String> {
        let w = self.world();
        (0..w.accounts.len()).map(|a| w.ids.act(a)).collect()
    }

    /// Business ids of the world, in order.
    pub fn business_ids(&self) -> Vec<String> {
        let w = self.world();
        (0..w.businesses.len()).map(|b| w.ids.str(Kind::Business, b)).collect()
    }

    /// Today in an ad account's time zone (`act_…` or numeric id).
    pub fn today(&self, account_id: &str) -> Option<chrono::NaiveDate> {
        let w = self.world();
        let a = w.ids.account_index(account_id).filter(|a| *a < w.accounts.len())?;
        Some(self.now().with_timezone(&w.accounts[a].tz).date_naive())
    }

    pub(crate) fn trace_id(&self) -> String {
        let n = self.traces.fetch_add(1, Ordering::Relaxed);
        super::auth::opaque("A", self.cfg.seed ^ 0x7ace, n, 23)
    }
}
