//! Progress of a pass: counters the engine bumps, and a one-line display redrawn on stderr when
//! it is a terminal (`sync`, `demo`). Elsewhere (a CronJob's logs) the engine's structured log
//! lines at each phase say the same.

use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::graph::GraphClient;

/// Counters of a running pass.
#[derive(Debug, Default)]
pub struct Progress {
    phase: Mutex<&'static str>,
    accounts: AtomicU64,
    rows: AtomicU64,
    insight_rows: AtomicU64,
}

impl Progress {
    /// Enters a phase (`accounts`, `entities`, `insights`).
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

    /// The status line.
    pub fn line(&self, calls: u64, elapsed: Duration) -> String {
        let phase = *self.phase.lock().unwrap_or_else(|p| p.into_inner());
        format!(
            "{phase:<9} {} accounts · {} rows ({} insights) · {calls} API calls · {:.1}s",
            self.accounts.load(Ordering::Relaxed),
            self.rows.load(Ordering::Relaxed),
            self.insight_rows.load(Ordering::Relaxed),
            elapsed.as_secs_f64()
        )
    }

    /// Redraws the status line on stderr every 200 ms until the returned guard is dropped.
    pub fn draw(self: &std::sync::Arc<Self>, client: GraphClient) -> DrawGuard {
        let progress = self.clone();
        let started = Instant::now();
        crate::cli::STATUS_LINE.store(true, Ordering::Relaxed);
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(200));
            loop {
                tick.tick().await;
                let line = progress.line(client.stats().calls, started.elapsed());
                eprint!("\r\x1b[2K{line}");
                let _ = std::io::stderr().flush();
            }
        });
        DrawGuard(task)
    }
}

/// Stops the display and clears its line when dropped.
pub struct DrawGuard(tokio::task::JoinHandle<()>);

impl Drop for DrawGuard {
    fn drop(&mut self) {
        self.0.abort();
        crate::cli::STATUS_LINE.store(false, Ordering::Relaxed);
        eprint!("\r\x1b[2K");
        let _ = std::io::stderr().flush();
    }
}
