//! What the sync engine needs from outside, as small traits: the Graph API ([`GraphApi`]), the
//! warehouse ([`Store`]) and a monotonic clock ([`Clock`]). `adapters.rs` implements them for
//! [`crate::graph::GraphClient`], [`crate::warehouse::Warehouse`] and the system clock; tests
//! drive the engine through an in-process fake of the Graph API instead.

use std::fmt::Debug;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use serde_json::Value;

use crate::graph::{GraphError, GraphRequest};
use crate::ids::{AccountId, Stream};
use crate::warehouse::{CommitStats, CursorState, RunOutcome, WriteBatch};

/// The Graph API as the engine uses it. Every call goes through the client's whole policy
/// (retries, budgets, pacing, token refresh) before an error comes back.
pub trait GraphApi: Send + Sync + 'static {
    /// One request; the JSON body of its success.
    fn call(&self, req: GraphRequest) -> BoxFuture<'_, Result<Value, GraphError>>;

    /// Many requests in Graph batches; one answer per request, in request order.
    fn batch(&self, reqs: Vec<GraphRequest>) -> BoxFuture<'_, Vec<Result<Value, GraphError>>>;

    /// An async insights report run for `account` with `params` (docs/graph-api.md §5.3):
    /// create it, poll it until it ends, and return every result row.
    fn report_run(
        &self,
        account: &AccountId,
        params: Vec<(String, String)>,
    ) -> BoxFuture<'_, Result<Vec<Value>, GraphError>>;

    /// Graph calls made so far, as Meta counts them (every batch item counts).
    fn calls(&self) -> u64;
}

/// The warehouse as the engine uses it. Every future owns what it needs (`'static`), so a
/// commit can run while the engine fetches the next round.
pub trait Store: Send + Sync + 'static {
    /// Opens a `sync_runs` row; returns its id.
    fn start_run(&self) -> BoxFuture<'static, anyhow::Result<i64>>;

    /// Closes run `run_id` with `outcome`.
    fn finish_run(&self, run_id: i64, outcome: RunOutcome) -> BoxFuture<'static, anyhow::Result<()>>;

    /// Every cursor row.
    fn cursors(&self) -> BoxFuture<'static, anyhow::Result<Vec<CursorState>>>;

    /// Writes `batch` (rows and the cursors they complete) in one transaction: all or nothing.
    fn commit(&self, batch: WriteBatch) -> BoxFuture<'static, anyhow::Result<CommitStats>>;

    /// Records a failure on the `(account, stream)` cursor row; the cursor stays where it was.
    fn record_failure(
        &self,
        account: AccountId,
        stream: Stream,
        message: String,
    ) -> BoxFuture<'static, anyhow::Result<()>>;

    /// Claims (or renews) the leases of `accounts` for `worker`; returns those it holds now.
    fn claim(
        &self,
        worker: String,
        accounts: Vec<AccountId>,
        lease: Duration,
    ) -> BoxFuture<'static, anyhow::Result<Vec<AccountId>>>;

    /// Gives up `worker`'s leases on `accounts`.
    fn release(&self, worker: String, accounts: Vec<AccountId>) -> BoxFuture<'static, anyhow::Result<()>>;
}

/// Monotonic time, for the pass deadline.
pub trait Clock: Send + Sync + Debug + 'static {
    /// Now.
    fn now(&self) -> Instant;
}
