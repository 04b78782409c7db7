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
use super::insights::{InsightsPlan, sync_insights};
use super::pager::PagerConfig;
use super::ports::{Clock, GraphApi, Store};
use super::progress::Progress;
use super::report::{AccountOutcome, RunReport};
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
}

impl SyncOptions {
    /// The defaults, with the listing cap and pass deadline of `sync:` config.
    pub fn from_config(cfg: &Config) -> Self {
        Self {
            max_pages_per_listing: cfg.sync.max_pages_per_listing,
            pass_deadline: cfg.sync.pass_deadline_seconds.map(Duration::from_secs),
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
    let store: Arc<dyn Store> = Arc::new(store.clone());
    let now = Utc::now();
    let run_id = store.start_run().await?;
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
    let mut pass = Pass { cfg, opts, ctx, state };
    pass.state.progress.phase("accounts");
    let result = pass.run().await;
    let mut report = pass.state.report;
    report.api_calls = graph.calls();
    let outcome = RunOutcome {
        status: if result.is_err() { RunStatus::Failed } else { report.status() },
        api_calls: report.api_calls,
        rows_upserted: report.total_rows(),
        error: match &result {
            Err(e) => Some(format!("{e:#}")),
            Ok(()) => report.first_error(),
        },
    };
    store.finish_run(run_id, outcome).await?;
    result.map(|()| report)
}

/// One pass in progress.
struct Pass<'a> {
    cfg: &'a Config,
    opts: &'a SyncOptions,
    ctx: PassContext,
    state: RunState,
}

impl Pass<'_> {
    async fn run(&mut self) -> anyhow::Result<()> {
        let Some(found) = self.discover().await? else { return Ok(()) };
        for (id, error) in &found.failed {
            self.state.fail(id, Stream::Account, error).await;
        }
        let ids: Vec<AccountId> = found.accounts.keys().cloned().collect();
        let (worker, lease) = (self.opts.worker_id.clone(), self.cfg.warehouse.lease_seconds);
        let lease = Duration::from_secs(lease);
        let claimed = self.state.store.claim(worker.clone(), ids.clone(), lease).await?;
        for id in ids.iter().filter(|id| !claimed.contains(id)) {
            tracing::info!(account_id = %id, "another worker holds this account's lease; skipping it");
            self.state.report.accounts.insert(id.clone(), AccountOutcome::Skipped);
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
        let heartbeat = renew_leases(self.state.store.clone(), worker.clone(), claimed.clone(), lease);
        let result = self.sync_claimed(accounts).await;
        heartbeat.abort();
        let succeeded: Vec<AccountId> = claimed.iter().filter(|id| self.state.active(id)).cloned().collect();
        for id in succeeded {
            self.state.report.accounts.entry(id).or_insert(AccountOutcome::Succeeded);
        }
        self.state.store.release(worker, claimed).await?;
        result
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
