//! One `sync` pass: discover or read the accounts, claim their leases, then entities and
//! insights of every claimed account, with per-account failure isolation. The pass is
//! resumable at any point: rows are idempotent upserts and every cursor commits with the rows it
//! covers, so a re-run after a crash or a kill converges to the same warehouse.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};

use super::accounts::{bare_id, discover};
use super::entities::{EntityPlan, sync_entities};
use super::insights::{InsightsPlan, sync_insights};
use super::report::{AccountOutcome, RunReport};
use super::state::{AccountInfo, RunState};
use super::streams;
use crate::config::Config;
use crate::graph::{GraphClient, GraphError};
use crate::warehouse::{CursorAdvance, RunOutcome, RunStatus, Warehouse, WriteBatch};

/// Rows an insights query should hold at most; chunks of days are sized from it.
pub const TARGET_ROWS_PER_QUERY: usize = 100_000;

/// Rows per insights page (the client halves it on "too much data" and grows it back).
pub const INSIGHTS_PAGE_SIZE: u32 = 5_000;

/// What to sync this pass, beyond the configuration.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Only these accounts (overrides `sync.accounts`).
    pub accounts: Vec<String>,
    /// Reload insights from this day.
    pub since: Option<NaiveDate>,
    /// Load insights up to this day.
    pub until: Option<NaiveDate>,
    /// Lease owner name of this worker.
    pub worker_id: String,
    /// Counters for a progress display (the caller may draw them).
    pub progress: std::sync::Arc<super::progress::Progress>,
}

/// Runs one pass. `Err` only for what stops the whole pass (the warehouse failing); account
/// failures are in the report.
pub async fn run_sync(
    cfg: &Config,
    client: &GraphClient,
    warehouse: &Warehouse,
    opts: &SyncOptions,
) -> anyhow::Result<RunReport> {
    let now = Utc::now();
    let wh = warehouse.clone();
    let run_id = blocking(move || wh.start_run()).await.context("recording the run start")?;
    let mut state = RunState::new(warehouse.clone(), opts.progress.clone());
    state.progress.phase("accounts");
    let result = run_pass(cfg, client, &mut state, opts, now).await;
    state.report.api_calls = client.stats().calls;
    state.report.skipped_items = client.skipped().len() as u64;
    let outcome = RunOutcome {
        status: state.report.status(),
        api_calls: state.report.api_calls,
        rows_upserted: state.report.total_rows(),
        error: match &result {
            Err(e) => Some(format!("{e:#}")),
            Ok(()) => first_error(&state.report),
        },
    };
    let outcome = if result.is_err() { RunOutcome { status: RunStatus::Failed, ..outcome } } else { outcome };
    let wh = warehouse.clone();
    blocking(move || wh.finish_run(run_id, &outcome)).await.context("recording the run end")?;
    result.map(|()| state.report)
}

async fn run_pass(
    cfg: &Config,
    client: &GraphClient,
    state: &mut RunState,
    opts: &SyncOptions,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let from_config: Vec<String> = cfg.sync.accounts.iter().map(|a| a.to_string()).collect();
    let configured = if opts.accounts.is_empty() { &from_config } else { &opts.accounts };
    let batch_size = cfg.meta.batch.max_size;
    let found =
        match discover(client, configured, &cfg.sync.businesses, cfg.meta.page_size, batch_size, now).await {
            Ok(found) => found,
            Err(error) => {
                let outcome = match &error {
                    GraphError::NeedsReauth { .. } => AccountOutcome::NeedsReauth(error.to_string()),
                    _ => AccountOutcome::Failed(format!("discovering ad accounts: {error}")),
                };
                tracing::error!(error = %error, "could not list the ad accounts");
                state.report.accounts.insert("(discovery)".to_string(), outcome);
                return Ok(());
            }
        };
    for (id, error) in &found.failed {
        state.fail(id, streams::ACCOUNT, error).await;
    }
    let ids: Vec<String> = found.accounts.keys().cloned().collect();
    let (wh, worker, lease) = (state.warehouse.clone(), opts.worker_id.clone(), cfg.warehouse.lease_seconds);
    let claim_ids = ids.clone();
    let claimed =
        blocking(move || wh.claim_accounts(&worker, &claim_ids, claim_ids.len(), Duration::from_secs(lease)))
            .await
            .context("claiming account leases")?;
    for id in ids.iter().filter(|id| !claimed.contains(id)) {
        tracing::info!(account_id = %id, "another worker holds this account's lease; skipping it");
        state.report.accounts.insert(id.clone(), AccountOutcome::Skipped);
    }
    let mut batch = WriteBatch::default();
    for id in &claimed {
        let row = &found.accounts[id];
        state.accounts.insert(
            id.clone(),
            AccountInfo {
                id: id.clone(),
                currency: row.currency.clone(),
                timezone: row.timezone_name.clone(),
            },
        );
        batch.accounts.push(row.clone());
        batch.cursors.push(CursorAdvance {
            account_id: id.clone(),
            stream: streams::ACCOUNT.to_string(),
            cursor: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
    }
    tracing::info!(accounts = claimed.len(), "syncing ad accounts");
    state.progress.accounts(claimed.len());
    let heartbeat = renew_leases(state.warehouse.clone(), opts.worker_id.clone(), claimed.clone(), lease);
    let result = sync_claimed(cfg, client, state, batch, opts, now).await;
    heartbeat.abort();
    let succeeded: Vec<String> = claimed.iter().filter(|id| state.active(id)).cloned().collect();
    for id in succeeded {
        state.report.accounts.insert(id, AccountOutcome::Succeeded);
    }
    let (wh, worker) = (state.warehouse.clone(), opts.worker_id.clone());
    blocking(move || claimed.iter().try_for_each(|id| wh.release_lease(id, &worker)))
        .await
        .context("releasing account leases")?;
    result
}

async fn sync_claimed(
    cfg: &Config,
    client: &GraphClient,
    state: &mut RunState,
    accounts: WriteBatch,
    opts: &SyncOptions,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    state.commit(accounts).await?;
    state.flush().await?;
    let wh = state.warehouse.clone();
    let cursors: HashMap<(String, String), _> = blocking(move || wh.cursors())
        .await
        .context("reading cursors")?
        .into_iter()
        .map(|c| ((c.account_id.clone(), c.stream.clone()), c))
        .collect();
    let batches_in_flight = cfg.sync.concurrency;
    let entity_plan = EntityPlan {
        page_size: cfg.meta.page_size,
        batch_size: cfg.meta.batch.max_size,
        batches_in_flight,
        overlap_seconds: cfg.sync.updated_time_overlap_seconds,
        conversion_action_types: cfg.sync.conversion_action_types.clone(),
    };
    state.progress.phase("entities");
    let counts = sync_entities(client, state, &cursors, &entity_plan, now).await?;
    state.progress.phase("insights");
    let insights_plan = InsightsPlan {
        levels: cfg.sync.levels.clone(),
        lookback_days: cfg.sync.lookback_days,
        start_date: cfg.sync.start_date,
        since_override: opts.since,
        until_override: opts.until,
        page_size: INSIGHTS_PAGE_SIZE,
        target_rows_per_query: TARGET_ROWS_PER_QUERY,
        batch_size: cfg.meta.batch.max_size,
        batches_in_flight,
        conversion_action_types: cfg.sync.conversion_action_types.clone(),
    };
    sync_insights(client, state, &cursors, &counts, &insights_plan, now).await?;
    state.progress.phase("done");
    Ok(())
}

/// Keeps this worker's leases alive while it syncs: re-claims them every third of the lease, so
/// a worker that dies loses them within one lease period and a live one never does.
fn renew_leases(
    wh: Warehouse,
    worker: String,
    accounts: Vec<String>,
    lease_seconds: u64,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let lease = Duration::from_secs(lease_seconds);
        let mut tick = tokio::time::interval(lease / 3);
        tick.tick().await;
        loop {
            tick.tick().await;
            let (wh, worker, ids) = (wh.clone(), worker.clone(), accounts.clone());
            match blocking(move || wh.claim_accounts(&worker, &ids, ids.len(), lease)).await {
                Ok(held) if held.len() < accounts.len() => {
                    tracing::warn!(
                        held = held.len(),
                        claimed = accounts.len(),
                        "some account leases were lost"
                    );
                }
                Ok(_) => tracing::debug!(accounts = accounts.len(), "account leases renewed"),
                Err(e) => tracing::warn!(error = %e, "could not renew account leases"),
            }
        }
    })
}

fn first_error(report: &RunReport) -> Option<String> {
    report.accounts.iter().find_map(|(id, o)| match o {
        AccountOutcome::Failed(m) | AccountOutcome::NeedsReauth(m) => Some(format!("account {id}: {m}")),
        _ => None,
    })
}

/// Runs a blocking warehouse call off the async runtime.
pub async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> anyhow::Result<T>
where
    T: Send + 'static,
    E: std::error::Error + Send + Sync + 'static,
{
    Ok(tokio::task::spawn_blocking(f).await.context("blocking task")??)
}

/// Normalises configured account ids (`act_1` → `1`).
pub fn normalise_accounts(ids: &[String]) -> Vec<String> {
    ids.iter().map(|id| bare_id(id).to_string()).collect()
}
