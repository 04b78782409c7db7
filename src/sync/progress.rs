//! Progress of a pass: counters the engine bumps and anyone may read (the CLI draws them on a
//! terminal). Elsewhere (a CronJob's logs) the engine's structured log lines at each phase say
//! the same.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of a running pass.
#[derive(Debug, Default)]
pub struct Progress {
    phase: Mutex<&'static str>,
    accounts: AtomicU64,
    rows: AtomicU64,
    insight_rows: AtomicU64,
}

/// The counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressSnapshot {
    /// Current phase (`accounts`, `entities`, `insights`, `done`; empty before the first).
    pub phase: &'static str,
    /// Accounts the pass covers.
    pub accounts: u64,
    /// Rows committed so far, all tables.
    pub rows: u64,
    /// Of those, insight rows.
    pub insight_rows: u64,
}

impl Progress {
    /// Enters a phase (`accounts`, `entities`, `insights`, `done`).
    pub fn phase(&self, name: &'static str) {
        *self.phase.lock().unwrap_or_else(|p| p.into_inner()) = name;
        tracing::info!(phase = name, rows = self.rows.load(Ordering::Relaxed), "sync phase");
    }

    /// Sets how many accounts the pass covers.
    pub fn accounts(&self, n: usize) {
        self.accounts.store(n as u64, Ordering::Relaxed);
    }

    /// Adds committed rows (`insights` of them insight rows).
    pub fn rows(&self, all: u64, insights: u64) {
        self.rows.fetch_add(all, Ordering::Relaxed);
        self.insight_rows.fetch_add(insights, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn snapshot(&self) -> ProgressSnapshot {
        ProgressSnapshot {
            phase: *self.phase.lock().unwrap_or_else(|p| p.into_inner()),
            accounts: self.accounts.load(Ordering::Relaxed),
            rows: self.rows.load(Ordering::Relaxed),
            insight_rows: self.insight_rows.load(Ordering::Relaxed),
        }
    }
}
