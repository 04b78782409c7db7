//! The simulator's clock: a fixed or real start that advances with (tokio) elapsed time, plus
//! a manual offset tests can move forward. Tokio's clock is used so a test that pauses time
//! (`tokio::time::pause`) also drives throttle windows and token expiry without sleeping.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use tokio::time::Instant;

/// Wall clock of the simulated world.
#[derive(Debug)]
pub(crate) struct Clock {
    base: Option<DateTime<Utc>>,
    started: Instant,
    offset_ms: AtomicI64,
}

impl Clock {
    /// A clock starting at `base` (or following the real clock when `None`).
    pub(crate) fn new(base: Option<DateTime<Utc>>) -> Self {
        Self { base, started: Instant::now(), offset_ms: AtomicI64::new(0) }
    }

    /// Current simulated time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let offset = chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        match self.base {
            Some(base) => {
                let elapsed = chrono::Duration::from_std(self.started.elapsed()).unwrap_or_default();
                base + elapsed + offset
            }
            None => Utc::now() + offset,
        }
    }

    /// Monotonic instant used for rate-limit windows, shifted by the manual offset.
    pub(crate) fn instant(&self) -> Instant {
        let offset = self.offset_ms.load(Ordering::Relaxed).max(0) as u64;
        Instant::now() + std::time::Duration::from_millis(offset)
    }

    /// Moves the clock forward.
    pub(crate) fn advance(&self, by: std::time::Duration) {
        self.offset_ms.fetch_add(by.as_millis() as i64, Ordering::Relaxed);
    }
}
