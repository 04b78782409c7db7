//! State shared by the phases of one run: per-account outcomes, the report, and the commit
//! pipeline (the next round is fetched while the previous one is being written; commits stay
//! in order because each waits for the one before).

use std::collections::HashMap;

use tokio::task::JoinHandle;

use super::report::{AccountOutcome, RunReport};
use crate::graph::GraphError;
use anyhow::Context as _;

use crate::warehouse::{CommitStats, Warehouse, WarehouseError, WriteBatch};

/// Facts about an ad account that mapping and planning need.
#[derive(Debug, Clone)]
pub struct AccountInfo {
    /// Numeric id without `act_`.
    pub id: String,
    /// ISO 4217 currency (decides the minor-unit offset of budgets).
    pub currency: String,
    /// IANA time zone its report days are cut in.
    pub timezone: String,
}

/// One run's mutable state.
pub struct RunState {
    /// The warehouse.
    pub warehouse: Warehouse,
    /// What happened so far.
    pub report: RunReport,
    /// Accounts being synced, by id.
    pub accounts: HashMap<String, AccountInfo>,
    /// Counters for the progress display.
    pub progress: std::sync::Arc<super::progress::Progress>,
    pending: Option<JoinHandle<Result<CommitStats, WarehouseError>>>,
}

impl RunState {
    /// Empty state over `warehouse`.
    pub fn new(warehouse: Warehouse, progress: std::sync::Arc<super::progress::Progress>) -> Self {
        Self { warehouse, report: RunReport::default(), accounts: HashMap::new(), progress, pending: None }
    }

    /// Whether `account` is still being synced (not failed, not skipped).
    pub fn active(&self, account: &str) -> bool {
        self.accounts.contains_key(account)
    }

    /// Marks `account` as failed because of `error` on `stream`: its cursor for the stream stays
    /// where it was, the failure is recorded on the cursor row, and the account's remaining work
    /// in this run is dropped.
    pub async fn fail(&mut self, account: &str, stream: &str, error: &GraphError) {
        let message = error.to_string();
        tracing::warn!(account_id = account, stream, error = %message, "stream failed");
        let outcome = match error {
            GraphError::NeedsReauth { .. } => AccountOutcome::NeedsReauth(message.clone()),
            _ => AccountOutcome::Failed(format!("{stream}: {message}")),
        };
        self.fail_with(account, stream, outcome, message).await;
    }

    /// Marks `account` failed with an outcome and records `message` on its `stream` cursor row.
    pub async fn fail_with(&mut self, account: &str, stream: &str, outcome: AccountOutcome, message: String) {
        self.accounts.remove(account);
        let keep = matches!(self.report.accounts.get(account), Some(AccountOutcome::NeedsReauth(_)));
        if !keep {
            self.report.accounts.insert(account.to_string(), outcome);
        }
        let wh = self.warehouse.clone();
        let (account, stream) = (account.to_string(), stream.to_string());
        let recorded =
            tokio::task::spawn_blocking(move || wh.record_failure(&account, &stream, &message)).await;
        if let Ok(Err(e)) = recorded {
            tracing::error!(error = %e, "could not record a stream failure in the warehouse");
        }
    }

    /// Queues `batch` for commit after the previous one; returns once the previous one is done.
    pub async fn commit(&mut self, batch: WriteBatch) -> anyhow::Result<()> {
        self.flush().await?;
        if batch.is_empty() {
            return Ok(());
        }
        let wh = self.warehouse.clone();
        self.pending = Some(tokio::task::spawn_blocking(move || wh.commit(&batch)));
        Ok(())
    }

    /// Waits for the commit in flight, if any, and adds its counts to the report.
    pub async fn flush(&mut self) -> anyhow::Result<()> {
        let Some(handle) = self.pending.take() else { return Ok(()) };
        let stats = handle.await.context("warehouse commit task")?.context("warehouse commit")?;
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
