//! Counters the sync engine reports per run, and the code-100 items it must record.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What the client did, since it was created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// HTTP requests sent (a batch envelope is one request).
    pub requests: u64,
    /// Graph calls as Meta counts them: plain requests plus batch items (envelopes not counted).
    pub calls: u64,
    /// Of those, insights calls.
    pub insights_calls: u64,
    /// Batch envelopes sent.
    pub batches: u64,
    /// Items sent inside batches (re-sent items count again).
    pub batch_items: u64,
    /// Attempts after the first for the same request or item (any reason).
    pub retries: u64,
    /// Throttle or policy-block responses received.
    pub throttles: u64,
    /// Token refreshes performed.
    pub token_refreshes: u64,
    /// Total time spent waiting: budgets, pacing, backoff and throttles.
    pub waited: Duration,
}

/// A code-100 item that was logged and skipped, for the sync to record with the run's errors
/// (docs/graph-api.md §1.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedItem {
    /// Ad account of the request.
    pub account_id: Option<String>,
    /// Path of the request.
    pub path: String,
    /// Graph error code (100).
    pub code: i64,
    /// Graph error subcode.
    pub subcode: Option<i64>,
    /// Meta's message.
    pub message: String,
    /// Meta's trace id.
    pub fbtrace_id: Option<String>,
}

/// Lock-free counters behind [`ClientStats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub calls: AtomicU64,
    pub insights_calls: AtomicU64,
    pub batches: AtomicU64,
    pub batch_items: AtomicU64,
    pub retries: AtomicU64,
    pub throttles: AtomicU64,
    pub token_refreshes: AtomicU64,
    pub waited_micros: AtomicU64,
    pub skipped: Mutex<Vec<SkippedItem>>,
}

impl Counters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn waited(&self, d: Duration) {
        Self::add(&self.waited_micros, d.as_micros().min(u64::MAX as u128) as u64);
    }

    pub fn skip(&self, item: SkippedItem) {
        self.skipped.lock().unwrap_or_else(|p| p.into_inner()).push(item);
    }

    pub fn snapshot(&self) -> ClientStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ClientStats {
            requests: get(&self.requests),
            calls: get(&self.calls),
            insights_calls: get(&self.insights_calls),
            batches: get(&self.batches),
            batch_items: get(&self.batch_items),
            retries: get(&self.retries),
            throttles: get(&self.throttles),
            token_refreshes: get(&self.token_refreshes),
            waited: Duration::from_micros(get(&self.waited_micros)),
        }
    }

    pub fn skipped(&self) -> Vec<SkippedItem> {
        self.skipped.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
