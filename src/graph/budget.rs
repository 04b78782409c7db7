//! Client-side call budgets (docs/graph-api.md §2): never more than N calls in ANY window of
//! `rate_limit.window_seconds`, per ad account (calls, insights calls) and optionally app-wide.
//!
//! A sliding log, not a token bucket: a call may start as soon as fewer than N calls are charged
//! to the window, so work is never idle while budget is left, and a burst never overshoots. A
//! call is charged from the moment it is sent until one window after its response arrived: the
//! server counts it at some instant in between, and the response time is the only bound on that
//! instant the client has. So even with reordering on the wire, Meta (or the simulator) never
//! sees more than N calls in a window.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use super::usage::account_key;

/// Slack added to the window so the server's own rounding never sees N+1 at the boundary.
const WINDOW_MARGIN: Duration = Duration::from_millis(10);

/// One budget.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BudgetKey {
    /// All calls to an ad account (batch items included), `rate_limit.calls_per_hour`.
    Calls(String),
    /// Insights calls to an ad account, `rate_limit.insights_per_hour`.
    Insights(String),
    /// Every call of the app, `rate_limit.app_calls_per_hour` (when set) — and the budget of
    /// account-less calls (`/me/adaccounts`, business edges) otherwise.
    App,
}

impl BudgetKey {
    /// The calls budget of an ad account (`act_` prefix or not).
    pub fn calls(account: &str) -> Self {
        Self::Calls(account_key(account))
    }

    /// The insights budget of an ad account.
    pub fn insights(account: &str) -> Self {
        Self::Insights(account_key(account))
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    id: u64,
    /// When the response arrived; `None` while the call is in flight.
    end: Option<Instant>,
}

#[derive(Debug, Default)]
struct State {
    logs: HashMap<BudgetKey, Vec<Entry>>,
    next_id: u64,
}

/// Sliding-window budgets shared by every clone of the client.
#[derive(Debug)]
pub struct Budgets {
    window: Duration,
    calls: u32,
    insights: u32,
    app: Option<u32>,
    state: Mutex<State>,
    freed: Notify,
}

/// Charges held by calls in flight; dropping it marks them answered (now).
#[derive(Debug)]
pub struct Permit {
    budgets: Arc<Budgets>,
    ids: Vec<(BudgetKey, u64)>,
}

impl Permit {
    /// Give the charges back unused (the call was not sent after all).
    pub fn release(mut self) {
        let ids = std::mem::take(&mut self.ids);
        self.budgets.release(&ids);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if !self.ids.is_empty() {
            self.budgets.complete(&self.ids, Instant::now());
        }
    }
}

impl Budgets {
    /// Budgets of `calls` and `insights` per account and optionally `app` for everything, per
    /// `window`. A limit of 0 disables that budget.
    pub fn new(window: Duration, calls: u32, insights: u32, app: Option<u32>) -> Arc<Self> {
        Arc::new(Self { window, calls, insights, app, state: Mutex::default(), freed: Notify::new() })
    }

    /// The limit of a budget; `None` when it is disabled.
    pub fn limit(&self, key: &BudgetKey) -> Option<u32> {
        let n = match key {
            BudgetKey::Calls(_) => self.calls,
            BudgetKey::Insights(_) => self.insights,
            BudgetKey::App => self.app.unwrap_or(self.calls),
        };
        (n > 0).then_some(n)
    }

    /// What one call charges: its account's calls (and insights) budget, and the app budget when
    /// configured or when the call has no account.
    pub fn demands(&self, account: Option<&str>, insights: bool) -> Vec<BudgetKey> {
        let mut keys = Vec::with_capacity(3);
        match account {
            Some(a) => {
                keys.push(BudgetKey::calls(a));
                if insights {
                    keys.push(BudgetKey::insights(a));
                }
                if self.app.is_some() {
                    keys.push(BudgetKey::App);
                }
            }
            None => keys.push(BudgetKey::App),
        }
        keys.retain(|k| self.limit(k).is_some());
        keys
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the log inconsistent (every update is a
        // single push/retain), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Charge `count` calls to every key at `now` if all have room. Otherwise `Err(t)`: try again
    /// at `t`, or when a call in flight completes (`None`: only a completion can free room).
    pub fn try_acquire(
        &self,
        demands: &[(BudgetKey, u32)],
        now: Instant,
    ) -> Result<Vec<(BudgetKey, u64)>, Option<Instant>> {
        let mut st = self.lock();
        let window = self.window + WINDOW_MARGIN;
        let mut wake: Option<Instant> = None;
        let mut blocked = false;
        for (key, count) in demands {
            let Some(limit) = self.limit(key) else { continue };
            let log = st.logs.entry(key.clone()).or_default();
            log.retain(|e| e.end.is_none_or(|end| end + window > now));
            // A demand above the limit (never planned that way) waits for an empty log.
            let need = (*count).min(limit) as usize;
            if log.len() + need > limit as usize {
                blocked = true;
                // Room appears when enough charges expire; the earliest expiry is a safe re-check.
                if let Some(t) = log.iter().filter_map(|e| e.end).map(|end| end + window).min() {
                    wake = Some(wake.map_or(t, |w| w.min(t)));
                }
            }
        }
        if blocked {
            return Err(wake);
        }
        let mut ids = Vec::new();
        for (key, count) in demands {
            if self.limit(key).is_none() {
                continue;
            }
            for _ in 0..*count {
                st.next_id += 1;
                let id = st.next_id;
                st.logs.entry(key.clone()).or_default().push(Entry { id, end: None });
                ids.push((key.clone(), id));
            }
        }
        Ok(ids)
    }

    /// How many calls may be charged to `key` at `now` without waiting, and, when none, the
    /// earliest time a charge expires (`None`: only a call in flight completing frees room).
    /// `None` for a disabled budget.
    pub fn room(&self, key: &BudgetKey, now: Instant) -> Option<(u32, Option<Instant>)> {
        let limit = self.limit(key)?;
        let window = self.window + WINDOW_MARGIN;
        let mut st = self.lock();
        let log = st.logs.entry(key.clone()).or_default();
        log.retain(|e| e.end.is_none_or(|end| end + window > now));
        let free = limit.saturating_sub(log.len() as u32);
        let expiry = log.iter().filter_map(|e| e.end).map(|end| end + window).min();
        Some((free, if free == 0 { expiry } else { None }))
    }

    /// Resolves when a charge is completed or released (room may have appeared). Enable it
    /// before checking for room so that no completion is missed.
    pub fn freed(&self) -> tokio::sync::futures::Notified<'_> {
        self.freed.notified()
    }

    /// Mark charges answered at `now`: they expire one window later.
    pub fn complete(&self, ids: &[(BudgetKey, u64)], now: Instant) {
        {
            let mut st = self.lock();
            for (key, id) in ids {
                if let Some(e) = st.logs.get_mut(key).and_then(|l| l.iter_mut().find(|e| e.id == *id)) {
                    e.end = Some(now);
                }
            }
        }
        self.freed.notify_waiters();
    }

    /// Remove charges of calls that were never sent.
    pub fn release(&self, ids: &[(BudgetKey, u64)]) {
        {
            let mut st = self.lock();
            for (key, id) in ids {
                if let Some(l) = st.logs.get_mut(key) {
                    l.retain(|e| e.id != *id);
                }
            }
        }
        self.freed.notify_waiters();
    }

    /// Wait until every demand fits, then charge it. Returns the permit and the time waited;
    /// room at once counts as no wait at all.
    pub async fn acquire(self: &Arc<Self>, demands: &[(BudgetKey, u32)]) -> (Permit, Duration) {
        let start = Instant::now();
        if let Ok(ids) = self.try_acquire(demands, start) {
            return (Permit { budgets: Arc::clone(self), ids }, Duration::ZERO);
        }
        loop {
            // Register for "a call completed" before checking, so no completion is missed.
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            match self.try_acquire(demands, Instant::now()) {
                Ok(ids) => return (Permit { budgets: Arc::clone(self), ids }, start.elapsed()),
                Err(Some(at)) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(at) => {}
                        _ = &mut freed => {}
                    }
                }
                Err(None) => freed.await,
            }
        }
    }

    /// Calls charged to a budget at `now` (in flight or answered within the window).
    pub fn charged(&self, key: &BudgetKey, now: Instant) -> usize {
        let window = self.window + WINDOW_MARGIN;
        self.lock()
            .logs
            .get(key)
            .map_or(0, |l| l.iter().filter(|e| e.end.is_none_or(|end| end + window > now)).count())
    }
}

#[cfg(test)]
#[path = "budget_tests.rs"]
mod tests;
