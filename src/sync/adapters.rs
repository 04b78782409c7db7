//! The ports implemented for the real components: [`GraphClient`] as [`GraphApi`],
//! [`Warehouse`] as [`Store`] (its blocking diesel calls moved off the async runtime here, in
//! one place) and [`SystemClock`].

use std::time::{Duration, Instant};

use anyhow::Context as _;
use futures_util::future::BoxFuture;
use serde_json::Value;

use super::ports::{Clock, GraphApi, Store};
use crate::graph::{GraphClient, GraphError, GraphRequest};
use crate::ids::{AccountId, Stream};
use crate::warehouse::{CommitStats, CursorState, RunOutcome, Warehouse, WarehouseError, WriteBatch};

impl GraphApi for GraphClient {
    fn call(&self, req: GraphRequest) -> BoxFuture<'_, Result<Value, GraphError>> {
        Box::pin(async move { GraphClient::call(self, &req).await })
    }

    fn batch(&self, reqs: Vec<GraphRequest>) -> BoxFuture<'_, Vec<Result<Value, GraphError>>> {
        Box::pin(GraphClient::batch(self, reqs))
    }

    fn report_run(
        &self,
        account: &AccountId,
        params: Vec<(String, String)>,
    ) -> BoxFuture<'_, Result<Vec<Value>, GraphError>> {
        let account = account.as_str().to_string();
        Box::pin(async move { GraphClient::report_run(self, &account, params).await })
    }

    fn calls(&self) -> u64 {
        self.stats().calls
    }
}

/// Runs a blocking warehouse call on tokio's blocking pool.
fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> Result<T, WarehouseError> + Send + 'static,
) -> BoxFuture<'static, anyhow::Result<T>> {
    Box::pin(async move { tokio::task::spawn_blocking(f).await.context("warehouse task")?.context(what) })
}

impl Store for Warehouse {
    fn start_run(&self) -> BoxFuture<'static, anyhow::Result<i64>> {
        let wh = self.clone();
        blocking("recording the run start", move || wh.start_run())
    }

    fn finish_run(&self, run_id: i64, outcome: RunOutcome) -> BoxFuture<'static, anyhow::Result<()>> {
        let wh = self.clone();
        blocking("recording the run end", move || wh.finish_run(run_id, &outcome))
    }

    fn cursors(&self) -> BoxFuture<'static, anyhow::Result<Vec<CursorState>>> {
        let wh = self.clone();
        blocking("reading cursors", move || wh.cursors())
    }

    fn commit(&self, batch: WriteBatch) -> BoxFuture<'static, anyhow::Result<CommitStats>> {
        let wh = self.clone();
        blocking("warehouse commit", move || wh.commit(&batch))
    }

    fn record_failure(
        &self,
        account: AccountId,
        stream: Stream,
        message: String,
    ) -> BoxFuture<'static, anyhow::Result<()>> {
        let wh = self.clone();
        blocking("recording a stream failure", move || {
            wh.record_failure(account.as_str(), stream.as_str(), &message)
        })
    }

    fn claim(
        &self,
        worker: String,
        accounts: Vec<AccountId>,
        lease: Duration,
    ) -> BoxFuture<'static, anyhow::Result<Vec<AccountId>>> {
        let wh = self.clone();
        blocking("claiming account leases", move || {
            let ids: Vec<String> = accounts.iter().map(|a| a.as_str().to_string()).collect();
            let held = wh.claim_accounts(&worker, &ids, ids.len(), lease)?;
            Ok(accounts.into_iter().filter(|a| held.iter().any(|h| h == a.as_str())).collect())
        })
    }

    fn release(&self, worker: String, accounts: Vec<AccountId>) -> BoxFuture<'static, anyhow::Result<()>> {
        let wh = self.clone();
        blocking("releasing account leases", move || {
            accounts.iter().try_for_each(|a| wh.release_lease(a.as_str(), &worker))
        })
    }
}

/// The system's monotonic clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}
