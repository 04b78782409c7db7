//! Backoff maths in one place: capped exponential with jitter, built with `backon` (the maintained
//! successor the RUSTSEC-2025-0012 advisory for `backoff` points to). Seeded, so tests are exact.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::config::RetryConfig;

/// Capped exponential backoff with jitter: step `n` (from 0) waits a random duration in
/// `[base·2ⁿ/2, base·2ⁿ)`, never more than `cap`. Half the step is fixed so a retry never
/// fires at once; the other half is jitter so many workers hit by the same outage spread out.
#[derive(Debug)]
pub struct BackoffPolicy {
    base: Duration,
    cap: Duration,
    seeds: AtomicU64,
}

impl BackoffPolicy {
    /// From `base` and `cap`; `seed` fixes the jitter (tests), `None` seeds from the clock.
    pub fn new(base: Duration, cap: Duration, seed: Option<u64>) -> Self {
        let seed = seed.unwrap_or_else(|| {
            SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
        });
        Self { base, cap: cap.max(base), seeds: AtomicU64::new(seed) }
    }

    /// From `meta.retry` (`backoff_seconds`, `max_backoff_seconds`).
    pub fn from_config(retry: &RetryConfig, seed: Option<u64>) -> Self {
        Self::new(secs(retry.backoff_seconds), secs(retry.max_backoff_seconds), seed)
    }

    /// Re-seed the jitter (tests that want exact waits).
    pub fn reseed(&self, seed: u64) {
        self.seeds.store(seed, Ordering::Relaxed);
    }

    /// A fresh, endless sequence of waits for one operation. Each operation gets its own seed
    /// (derived from the policy's), so concurrent operations do not retry in lock-step.
    pub fn steps(&self) -> impl Iterator<Item = Duration> + Send + Sync + use<> {
        let seed = splitmix(self.seeds.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed));
        let cap = self.cap;
        // backon's jitter adds up to 100 % of the step, so start from half the base and cap at
        // half the cap: the jittered value then lands in [step/2, step) and never exceeds `cap`.
        ExponentialBuilder::new()
            .with_min_delay(self.base / 2)
            .with_max_delay(self.cap / 2)
            .with_factor(2.0)
            .with_jitter()
            .with_jitter_seed(seed)
            .without_max_times()
            .build()
            .map(move |d| d.min(cap))
    }
}

/// The longest duration [`secs`] gives: one year.
const MAX_SECS: f64 = 365.0 * 86_400.0;

/// Seconds from config as a `Duration`; negative or NaN values become zero, huge ones a year.
pub fn secs(s: f64) -> Duration {
    // Capped at a year so that no setting, however absurd, overflows a deadline computed from it.
    if s.is_finite() && s > 0.0 { Duration::from_secs_f64(s.min(MAX_SECS)) } else { Duration::ZERO }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_within_jitter_bounds_and_caps() {
        let p = BackoffPolicy::new(Duration::from_secs(1), Duration::from_secs(10), Some(7));
        let waits: Vec<Duration> = p.steps().take(8).collect();
        let bounds = [(0.5, 1.0), (1.0, 2.0), (2.0, 4.0), (4.0, 8.0), (5.0, 10.0), (5.0, 10.0)];
        for (w, (lo, hi)) in waits.iter().zip(bounds) {
            let s = w.as_secs_f64();
            assert!(s >= lo && s <= hi, "{s} not in [{lo}, {hi}] ({waits:?})");
        }
        assert!(waits.iter().all(|w| *w <= Duration::from_secs(10)));
    }

    #[test]
    fn deterministic_for_a_seed_and_different_per_operation() {
        let a = BackoffPolicy::new(Duration::from_secs(2), Duration::from_secs(60), Some(42));
        let b = BackoffPolicy::new(Duration::from_secs(2), Duration::from_secs(60), Some(42));
        let first: Vec<_> = a.steps().take(5).collect();
        assert_eq!(first, b.steps().take(5).collect::<Vec<_>>());
        let second: Vec<_> = a.steps().take(5).collect();
        assert_ne!(first, second, "each operation gets its own jitter");
        a.reseed(42);
        assert_eq!(first, a.steps().take(5).collect::<Vec<_>>());
    }

    #[test]
    fn config_seconds() {
        assert_eq!(secs(1.5), Duration::from_millis(1500));
        assert_eq!(secs(-1.0), Duration::ZERO);
        assert_eq!(secs(f64::NAN), Duration::ZERO);
        let p = BackoffPolicy::from_config(&RetryConfig::default(), Some(1));
        let w = p.steps().next().unwrap();
        assert!(w >= Duration::from_secs(30) && w <= Duration::from_secs(60));
    }
}
