//! Graceful stop of a pass on SIGTERM or SIGINT: a [`Shutdown`] flag the caller raises, and a
//! [`Tracked`] store whose writes finish even when the pass that asked for them is dropped, so
//! the engine can cancel a pass at any await point and then wait until every transaction in
//! flight has committed or rolled back (a cursor always commits with its rows).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::sync::{Notify, Semaphore};

use super::ports::Store;
use crate::ids::{AccountId, Stream};
use crate::warehouse::{CommitStats, CursorState, RunOutcome, WriteBatch};

/// A stop request shared by whoever catches the signal and the pass that must stop.
#[derive(Debug, Clone, Default)]
pub struct Shutdown {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl Shutdown {
    /// Asks the pass to stop: no new work is claimed, writes in flight finish.
    pub fn request(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether a stop was asked for.
    pub fn is_requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Resolves once a stop is asked for (at once if it already was).
    pub async fn requested(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_requested() {
                return;
            }
            notified.await;
        }
    }
}

/// Writes in flight at most (a permit each); far above what a pass keeps in flight.
const MAX_IN_FLIGHT: u32 = 1 << 16;

/// A [`Store`] whose writes run as tasks of their own: dropping the future that asked for one
/// does not cut it short, and [`Tracked::drain`] waits for all of them.
#[derive(Clone)]
pub struct Tracked {
    inner: Arc<dyn Store>,
    in_flight: Arc<Semaphore>,
}

impl Tracked {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self { inner, in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT as usize)) }
    }

    /// Waits until no write is in flight (each commits or rolls back), at most `limit`.
    /// `false` when some were still going at the limit.
    pub async fn drain(&self, limit: Duration) -> bool {
        tokio::time::timeout(limit, self.in_flight.acquire_many(MAX_IN_FLIGHT)).await.is_ok()
    }

    fn tracked<T: Send + 'static>(
        &self,
        what: BoxFuture<'static, anyhow::Result<T>>,
    ) -> BoxFuture<'static, anyhow::Result<T>> {
        let sem = self.in_flight.clone();
        Box::pin(async move {
            let permit = sem.acquire_owned().await?;
            let task = tokio::spawn(async move {
                let out = what.await;
                drop(permit);
                out
            });
            task.await?
        })
    }
}

impl Store for Tracked {
    fn start_run(&self) -> BoxFuture<'static, anyhow::Result<i64>> {
        self.tracked(self.inner.start_run())
    }

    fn finish_run(&self, run_id: i64, outcome: RunOutcome) -> BoxFuture<'static, anyhow::Result<()>> {
        self.tracked(self.inner.finish_run(run_id, outcome))
    }

    fn cursors(&self) -> BoxFuture<'static, anyhow::Result<Vec<CursorState>>> {
        self.inner.cursors()
    }

    fn commit(&self, batch: WriteBatch) -> BoxFuture<'static, anyhow::Result<CommitStats>> {
        self.tracked(self.inner.commit(batch))
    }

    fn record_failure(
        &self,
        account: AccountId,
        stream: Stream,
        message: String,
    ) -> BoxFuture<'static, anyhow::Result<()>> {
        self.tracked(self.inner.record_failure(account, stream, message))
    }

    fn claim(
        &self,
        worker: String,
        accounts: Vec<AccountId>,
        lease: Duration,
    ) -> BoxFuture<'static, anyhow::Result<Vec<AccountId>>> {
        self.tracked(self.inner.claim(worker, accounts, lease))
    }

    fn release(&self, worker: String, accounts: Vec<AccountId>) -> BoxFuture<'static, anyhow::Result<()>> {
        self.tracked(self.inner.release(worker, accounts))
    }
}
