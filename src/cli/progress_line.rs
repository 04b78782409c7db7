//! The one-line progress display of `sync` and `demo` on a terminal, redrawn on stderr from the
//! engine's counters; log lines clear it first (see `logging`).

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::logging::STATUS_LINE;
use crate::graph::GraphClient;
use crate::sync::progress::{Progress, ProgressSnapshot};

/// The status line for `p` after `calls` API calls and `elapsed`.
pub fn line(p: ProgressSnapshot, calls: u64, elapsed: Duration) -> String {
    format!(
        "{:<9} {} accounts · {} rows ({} insights) · {calls} API calls · {:.1}s",
        p.phase,
        p.accounts,
        p.rows,
        p.insight_rows,
        elapsed.as_secs_f64()
    )
}

/// Redraws the status line on stderr every 200 ms until the returned guard is dropped.
pub fn draw(progress: Arc<Progress>, client: GraphClient) -> DrawGuard {
    let started = Instant::now();
    STATUS_LINE.store(true, Ordering::Relaxed);
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        loop {
            tick.tick().await;
            let text = line(progress.snapshot(), client.stats().calls, started.elapsed());
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{text}").and_then(|()| err.flush());
        }
    });
    DrawGuard(task)
}

/// Stops the display and clears its line when dropped.
pub struct DrawGuard(tokio::task::JoinHandle<()>);

impl Drop for DrawGuard {
    fn drop(&mut self) {
        self.0.abort();
        STATUS_LINE.store(false, Ordering::Relaxed);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K").and_then(|()| err.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_every_counter() {
        let p = Progress::default();
        p.phase("insights");
        p.accounts(3);
        p.rows(120, 100);
        assert_eq!(
            line(p.snapshot(), 42, Duration::from_millis(1500)),
            "insights  3 accounts · 120 rows (100 insights) · 42 API calls · 1.5s"
        );
    }
}
