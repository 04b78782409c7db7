//! State shared by the phases of one run: the accounts being synced, failed streams, the report,
//! and the commit pipeline (the next round is fetched while the previous one is being written;
//! commits stay in order because each waits for the one before).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use tokio::task::JoinHandle;

use super::errors::{Scope, StreamError};
use super::pager::PagerConfig;
use super::ports::{GraphApi, Store};
use super::progress::Progress;
use super::report::{AccountOutcome, RunReport};
use crate::ids::{AccountId, Stream};
use crate::warehouse::{CommitStats, CursorAdvance, WriteBatch};

/// Facts about an ad account that mapping and planning need.
#[derive(Debug, Clone)]
pub struct AccountInfo {
    /// The account.
    pub id: AccountId,
    /// ISO 4217 currency (decides the minor-unit offset of budgets).
    pub currency: String,
    /// IANA time zone its report days are cut in.
    pub timezone: String,
}

/// What every phase of a pass needs besides its own plan.
#[derive(Clone)]
pub struct PassContext {
    /// The Graph API.
    pub graph: Arc<dyn GraphApi>,
    /// How listings are batched and where they stop.
    pub pager: PagerConfig,
    /// The pass's wall-clock start: `synced_at` of its rows and "today" of each account.
    pub now: DateTime<Utc>,
}

/// The stored cursor text of every `(account, stream)` that has one.
pub type StoredCursors = HashMap<(AccountId, Stream), String>;

/// What one commit writes: rows, and the cursors they complete (typed until committed).
#[derive(Debug, Default)]
pub struct Round {
    /// Rows to upsert.
    pub rows: WriteBatch,
    cursors: Vec<(AccountId, Stream, String)>,
}

impl Round {
    /// Moves the cursor of `(account, stream)` to `cursor` (its stored text) with these rows.
    pub fn advance(&mut self, account: &AccountId, stream: Stream, cursor: String) {
        self.cursors.push((account.clone(), stream, cursor));
    }
}

/// One run's mutable state.
pub struct RunState {
    /// The warehouse.
    pub store: Arc<dyn Store>,
    /// What happened so far.
    pub report: RunReport,
    /// Accounts being synced (not failed as a whole, not skipped).
    pub accounts: HashMap<AccountId, AccountInfo>,
    /// Counters for a progress display.
    pub progress: Arc<Progress>,
    failed_streams: HashSet<(AccountId, Stream)>,
    pending: Option<JoinHandle<anyhow::Result<CommitStats>>>,
}

impl RunState {
    /// Empty state over `store`.
    pub fn new(store: Arc<dyn Store>, progress: Arc<Progress>) -> Self {
        Self {
            store,
            report: RunReport::default(),
            accounts: HashMap::new(),
            progress,
            failed_streams: HashSet::new(),
            pending: None,
        }
    }

    /// Whether `account` is still being synced.
    pub fn active(&self, account: &AccountId) -> bool {
        self.accounts.contains_key(account)
    }

    /// Whether `stream` of `account` is still being synced.
    pub fn stream_active(&self, account: &AccountId, stream: Stream) -> bool {
        self.active(account) && !self.failed_streams.contains(&(account.clone(), stream))
    }

    /// Accounts being synced, in id order.
    pub fn account_ids(&self) -> Vec<AccountId> {
        let mut ids: Vec<AccountId> = self.accounts.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Marks `stream` of `account` failed because of `error`: its cursor stays where it was, the
    /// failure is recorded on the cursor row, and the stream's (or, for an account-wide error,
    /// the account's) remaining work in this run is dropped.
    pub async fn fail(&mut self, account: &AccountId, stream: Stream, error: &StreamError) {
        let message = error.to_string();
        tracing::warn!(account_id = %account, stream = %stream, error = %message, "stream failed");
        if error.misconfigured() {
            self.report.misconfigured.get_or_insert_with(|| message.clone());
        }
        let outcome = if error.needs_reauth() {
            AccountOutcome::NeedsReauth(message.clone())
        } else {
            AccountOutcome::Failed(format!("{stream}: {message}"))
        };
        match error.scope() {
            Scope::Account => {
                self.accounts.remove(account);
            }
            Scope::Stream => {
                self.failed_streams.insert((account.clone(), stream));
            }
        }
        // The first failure names the account's problem, unless a later one needs a person.
        let worse = matches!(outcome, AccountOutcome::NeedsReauth(_));
        match self.report.accounts.get(account) {
            Some(AccountOutcome::NeedsReauth(_)) => {}
            Some(AccountOutcome::Failed(_)) if !worse => {}
            _ => {
                self.report.accounts.insert(account.clone(), outcome);
            }
        }
        if let Err(e) = self.store.record_failure(account.clone(), stream, message).await {
            tracing::error!(error = %format!("{e:#}"), "could not record a stream failure in the warehouse");
        }
    }

    /// Queues `round` for commit after the previous one; returns once the previous one is done.
    /// Cursors of failed streams are dropped: committing one would clear the failure just
    /// recorded.
    pub async fn commit(&mut self, round: Round) -> anyhow::Result<()> {
        self.flush().await?;
        let Round { mut rows, cursors } = round;
        for (account, stream, cursor) in cursors {
            if self.stream_active(&account, stream) {
                let (account_id, stream) = (account.as_str().to_string(), stream.as_str().to_string());
                rows.cursors.push(CursorAdvance { account_id, stream, cursor });
            }
        }
        if rows.is_empty() {
            return Ok(());
        }
        self.pending = Some(tokio::spawn(self.store.commit(rows)));
        Ok(())
    }

    /// Waits for the commit in flight, if any, and adds its counts to the report.
    pub async fn flush(&mut self) -> anyhow::Result<()> {
        let Some(handle) = self.pending.take() else { return Ok(()) };
        let stats = handle.await.context("warehouse commit task")??;
        self.progress.rows(stats.rows_upserted(), stats.insights);
        for (table, n) in [
            ("ad_accounts", stats.accounts),
            ("campaigns", stats.campaigns),
            ("ad_sets", stats.ad_sets),
            ("ads", stats.ads),
            ("ad_creatives", stats.creatives),
            ("insights_daily", stats.insights),
        ] {
            if n > 0 {
                self.report.add_rows(table, n);
            }
        }
        Ok(())
    }
}
