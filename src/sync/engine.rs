//! One `sync` pass: discover or read the accounts, claim their leases, then entities and
//! insights of every claimed account, with per-account failure isolation. The pass is
//! resumable at any point: rows are idempotent upserts and every cursor commits with the rows it
//! covers, so a re-run after a crash or a kill converges to the same warehouse.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};

use super::accounts::{Discovery, Sources, discover};
use super::adapters::SystemClock;
use super::entities::{EntityPlan, sync_entities};
use super::holder::Liveness;
use super::insights::{InsightsPlan, sync_insights};
use super::pager::PagerConfig;
use super::ports::{Clock, GraphApi, Store};
use super::progress::Progress;
use super::report::{AccountOutcome, RunReport};
use super::shutdown::{Shutdown, Tracked};
use super::state::{AccountInfo, PassContext, Round, RunState, StoredCursors};
use crate::config::Config;
use crate::graph::paging::{DEFAULT_MAX_PAGES, ListingLimits};
use crate::ids::{AccountId, Stream};
use crate::warehouse::{RunOutcome, RunStatus};

/// Rows an insights query should hold at most; chunks of days are sized from it.
pub const TARGET_ROWS_PER_QUERY: usize = 100_000;

/// Rows per insights page (the client halves it on "too much data" and grows it back).
pub const INSIGHTS_PAGE_SIZE: u32 = 5_000;

/// What to sync this pass, beyond the configuration.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Only these accounts (overrides `sync.accounts`).
    pub accounts: Vec<AccountId>,
    /// Reload insights from this day.
    pub since: Option<NaiveDate>,
    /// Load insights up to this day.
    pub until: Option<NaiveDate>,
    /// Lease owner name of this worker.
    pub worker_id: String,
    /// Counters for a progress display (the caller may draw them).
    pub progress: Arc<Progress>,
    /// Pages one listing may take before it is stopped as endless
    /// (`sync.max_pages_per_listing`).
    pub max_pages_per_listing: u64,
    /// How long the pass may fetch pages (`sync.pass_deadline_seconds`); `None`: no limit.
    /// Listings still going when it passes stop, each failing its account and stream.
    pub pass_deadline: Option<Duration>,
    /// The clock the deadline is measured on.
    pub clock: Arc<dyn Clock>,
    /// Locks that die with this process, taken with the leases; `None`: time-based leases only.
    pub liveness: Option<Arc<dyn Liveness>>,
    /// Raised on SIGTERM/SIGINT: the pass stops claiming work and ends `interrupted`.
    pub shutdown: Shutdown,
    /// How long a stopping pass waits for its writes in flight (`sync.shutdown_grace_seconds`).
    pub shutdown_grace: Duration,
}

/// Default of `sync.shutdown_grace_seconds`: below Kubernetes' 30 s before SIGKILL.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

impl SyncOptions {
    /// The defaults, with the listing cap and pass deadline of `sync:` config.
    pub fn from_config(cfg: &Config) -> Self {
        Self {
            max_pages_per_listing: cfg.sync.max_pages_per_listing,
            pass_deadline: cfg.sync.pass_deadline_seconds.map(Duration::from_secs),
            shutdown_grace: Duration::from_secs(cfg.sync.shutdown_grace_seconds),
            ..Self::default()
        }
    }
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            since: None,
            until: None,
            worker_id: String::new(),
            progress: Arc::default(),
            max_pages_per_listing: DEFAULT_MAX_PAGES,
            pass_deadline: None,
            clock: Arc::new(SystemClock),
            liveness: None,
            shutdown: Shutdown::default(),
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

/// Runs one pass. `Err` only for what stops the whole pass (the warehouse failing); account
/// failures are in the report.
pub async fn run_sync<G, S>(
    cfg: &Config,
    graph: &G,
    store: &S,
    opts: &SyncOptions,
) -> anyhow::Result<RunReport>
where
    G: GraphApi + Clone,
    S: Store + Clone,
{
    let graph: Arc<dyn GraphApi> = Arc::new(graph.clone());
    let tracked = Tracked::new(Arc::new(store.clone()));
    let store: Arc<dyn Store> = Arc::new(tracked.clone());
    let now = Utc::now();
    let run_id = store.start_run().await?;
    if let Some(live) = &opts.liveness
        && let Err(e) = live.hold_run(run_id).await
    {
        tracing::warn!(error = %format!("{e:#}"), "could not take the run lock; status cannot tell if this run dies");
    }
    let limits = ListingLimits {
        max_pages: opts.max_pages_per_listing.max(1),
        deadline: opts.pass_deadline.map(|d| opts.clock.now() + d),
    };
    let pager = PagerConfig {
        batch_size: cfg.meta.batch.max_size,
        batches_in_flight: cfg.sync.concurrency,
        limits,
        clock: opts.clock.clone(),
    };
    let state = RunState::new(store.clone(), opts.progress.clone());
    let ctx = PassContext { graph: graph.clone(), pager, now };
    let mut pass = Pass { cfg, opts, ctx, state, claimed: Vec::new(), heartbeat: None };
    pass.state.progress.phase("accounts");
    let result = tokio::select! {
        r = pass.run() => r,
        () = opts.shutdown.requested() => Err(Interrupted.into()),
    };
    let interrupted = result.as_ref().err().is_some_and(|e| e.is::<Interrupted>());
    let result = if interrupted { pass.stop(&tracked).await } else { result };
    if let Some(h) = pass.heartbeat.take() {
        h.abort();
    }
    let mut report = pass.state.report;
    report.api_calls = graph.calls();
    let outcome = RunOutcome {
        status: if result.is_err() { RunStatus::Failed } else { report.status() },
        api_calls: report.api_calls,
        rows_upserted: report.total_rows(),
        error: match &result {
            Err(e) => Some(format!("{e:#}")),
            Ok(()) if interrupted => {
                Some("stopped by a signal (SIGTERM/SIGINT); the next run resumes".into())
            }
            Ok(()) => report.first_error(),
        },
    };
    let finished = store.finish_run(run_id, outcome).await;
    if let Some(live) = &opts.liveness
        && let Err(e) = live.release_all().await
    {
        tracing::warn!(error = %format!("{e:#}"), "could not release the holder locks; they end with this process");
    }
    finished?;
    result.map(|()| report)
}

/// The pass was cut short by [`SyncOptions::shutdown`].
#[derive(Debug, thiserror::Error)]
#[error("stopped by a signal")]
struct Interrupted;

/// One pass in progress.
struct Pass<'a> {
    cfg: &'a Config,
    opts: &'a SyncOptions,
    ctx: PassContext,
    state: RunState,
    /// Accounts whose leases (and locks) this pass holds.
    claimed: Vec<AccountId>,
    /// The lease renewal task while the claimed accounts sync.
    heartbeat: Option<tokio::task::JoinHandle<()>>,
}

impl Pass<'_> {
    async fn run(&mut self) -> anyhow::Result<()> {
        let Some(found) = self.discover().await? else { return Ok(()) };
        for (id, error) in &found.failed {
            self.state.fail(id, Stream::Account, error).await;
        }
        let ids: Vec<AccountId> = found.accounts.keys().cloned().collect();
        let lease = Duration::from_secs(self.cfg.warehouse.lease_seconds);
        let claimed = self.claim(ids.clone(), lease).await?;
        let cursors = if claimed.len() < ids.len() { self.state.store.cursors().await? } else { Vec::new() };
        for id in ids.iter().filter(|id| !claimed.contains(id)) {
            let row = cursors
                .iter()
                .find(|c| c.account_id == id.as_str() && c.stream == crate::warehouse::LEASE_STREAM);
            let holder = match row.and_then(|c| c.lease_owner.clone()) {
                Some(owner) => match row.and_then(|c| c.lease_expires_at) {
                    Some(t) => format!("{owner}, lease until {}", t.format("%Y-%m-%d %H:%M:%S UTC")),
                    None => owner,
                },
                None => "another worker".to_string(),
            };
            tracing::info!(account_id = %id, holder = %holder, "a live worker holds this account; skipping it");
            self.state.report.accounts.insert(id.clone(), AccountOutcome::Held { holder });
        }
        let mut accounts = Round::default();
        for id in &claimed {
            let Some(row) = found.accounts.get(id) else { continue };
            let info = AccountInfo {
                id: id.clone(),
                currency: row.currency.clone(),
                timezone: row.timezone_name.clone(),
            };
            self.state.accounts.insert(id.clone(), info);
            accounts.rows.accounts.push(row.clone());
            accounts.advance(
                id,
                Stream::Account,
                self.ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
        }
        tracing::info!(accounts = claimed.len(), "syncing ad accounts");
        self.state.progress.accounts(claimed.len());
        let worker = self.opts.worker_id.clone();
        self.heartbeat = Some(renew_leases(self.state.store.clone(), worker.clone(), claimed.clone(), lease));
        let result = self.sync_claimed(accounts).await;
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
        let succeeded: Vec<AccountId> = claimed.iter().filter(|id| self.state.active(id)).cloned().collect();
        for id in succeeded {
            self.state.report.accounts.entry(id).or_insert(AccountOutcome::Succeeded);
        }
        self.state.store.release(worker, std::mem::take(&mut self.claimed)).await?;
        result
    }

    /// Claims what no live worker holds: first by the locks that die with their holder (any
    /// lease a dead holder left is taken over), then by the time-based lease alone for the
    /// rest, which only succeeds where a lease lapsed (a holder alive but stuck) or where there
    /// are no locks. Returns the claimed accounts in order and remembers them for the release.
    async fn claim(&mut self, ids: Vec<AccountId>, lease: Duration) -> anyhow::Result<Vec<AccountId>> {
        let worker = self.opts.worker_id.clone();
        let locked = match &self.opts.liveness {
            Some(live) => live.acquire(worker.clone(), ids.clone(), lease).await?,
            None => Vec::new(),
        };
        self.claimed = locked.clone();
        let rest: Vec<AccountId> = ids.iter().filter(|id| !locked.contains(id)).cloned().collect();
        let leased =
            if rest.is_empty() { Vec::new() } else { self.state.store.claim(worker, rest, lease).await? };
        if self.opts.liveness.is_some() {
            for id in &leased {
                tracing::warn!(account_id = %id, "its holder is alive but let its lease lapse (stuck?); taking it over");
            }
        }
        self.claimed = ids.into_iter().filter(|id| locked.contains(id) || leased.contains(id)).collect();
        Ok(self.claimed.clone())
    }

    /// After a signal cut the pass short: waits (up to the grace period) for the writes in
    /// flight to commit or roll back, marks the unfinished accounts interrupted and gives up
    /// the leases.
    async fn stop(&mut self, tracked: &Tracked) -> anyhow::Result<()> {
        tracing::warn!(
            "stopping on a signal: letting the writes in flight finish, then releasing the accounts"
        );
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
        if !tracked.drain(self.opts.shutdown_grace).await {
            tracing::warn!("writes still in flight at the end of the grace period");
        }
        self.state.report.interrupted = true;
        let claimed = std::mem::take(&mut self.claimed);
        for id in &claimed {
            self.state.report.accounts.entry(id.clone()).or_insert(AccountOutcome::Interrupted);
        }
        if !claimed.is_empty() {
            self.state.store.release(self.opts.worker_id.clone(), claimed).await?;
        }
        Ok(())
    }

    /// The accounts of this pass; `None` when discovery failed (recorded in the report).
    async fn discover(&mut self) -> anyhow::Result<Option<Discovery>> {
        let configured = if self.opts.accounts.is_empty() {
            self.cfg.sync.accounts.clone()
        } else {
            self.opts.accounts.clone()
        };
        let sources = Sources {
            configured: &configured,
            businesses: &self.cfg.sync.businesses,
            page_size: self.cfg.meta.page_size,
        };
        match discover(&self.ctx, sources).await {
            Ok(found) => Ok(Some(found)),
            Err(error) => {
                tracing::error!(error = %error, "could not list the ad accounts");
                if error.misconfigured() {
                    self.state.report.misconfigured = Some(error.to_string());
                }
                self.state.report.discovery = Some(if error.needs_reauth() {
                    AccountOutcome::NeedsReauth(error.to_string())
                } else {
                    AccountOutcome::Failed(error.to_string())
                });
                Ok(None)
            }
        }
    }

    /// Entities, then insights, of the claimed accounts, after committing their account rows.
    async fn sync_claimed(&mut self, accounts: Round) -> anyhow::Result<()> {
        let (cfg, opts, ctx) = (self.cfg, self.opts, &self.ctx);
        let state = &mut self.state;
        state.commit(accounts).await?;
        state.flush().await?;
        let cursors: StoredCursors = state
            .store
            .cursors()
            .await?
            .into_iter()
            .filter_map(|c| {
                let key = (AccountId::parse(&c.account_id).ok()?, Stream::parse(&c.stream)?);
                Some((key, c.cursor?))
            })
            .collect();
        let entity_plan = EntityPlan {
            page_size: cfg.meta.page_size,
            overlap_seconds: cfg.sync.updated_time_overlap_seconds,
            conversion_action_types: cfg.sync.conversion_action_types.clone(),
        };
        state.progress.phase("entities");
        let counts = sync_entities(ctx, state, &cursors, &entity_plan).await?;
        state.progress.phase("insights");
        let insights_plan = InsightsPlan {
            levels: cfg.sync.levels.clone(),
            lookback_days: cfg.sync.lookback_days,
            start_date: cfg.sync.start_date,
            since_override: opts.since,
            until_override: opts.until,
            page_size: INSIGHTS_PAGE_SIZE,
            target_rows_per_query: TARGET_ROWS_PER_QUERY,
            conversion_action_types: cfg.sync.conversion_action_types.clone(),
        };
        sync_insights(ctx, state, &cursors, &counts, &insights_plan).await?;
        state.progress.phase("done");
        Ok(())
    }
}

/// Keeps this worker's leases alive while it syncs: re-claims them every third of the lease, so
/// a worker that dies loses them within one lease period and a live one never does.
fn renew_leases(
    store: Arc<dyn Store>,
    worker: String,
    accounts: Vec<AccountId>,
    lease: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval((lease / 3).max(Duration::from_secs(1)));
        tick.tick().await;
        loop {
            tick.tick().await;
            match store.claim(worker.clone(), accounts.clone(), lease).await {
                Ok(held) if held.len() < accounts.len() => {
                    tracing::warn!(
                        held = held.len(),
                        claimed = accounts.len(),
                        "some account leases were lost"
                    );
                }
                Ok(_) => tracing::debug!(accounts = accounts.len(), "account leases renewed"),
                Err(e) => tracing::warn!(error = %format!("{e:#}"), "could not renew account leases"),
            }
        }
    })
}
