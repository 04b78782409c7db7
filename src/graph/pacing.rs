//! Adaptive pacing from Meta's usage headers (docs/graph-api.md §2):
//! every response — errors and batch items included — reports how much of the hourly quota is used.
//! Past `rate_limit.slow_down_at_pct` calls of that scope are spaced out, more as usage climbs;
//! when the headers (or a throttle error) say access is gone, the scope stops until it returns.
//! Scopes are ad accounts and the app, so one throttled account never stalls the fleet.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

use super::usage::{Usage, account_key};

/// Spacing at most this many times the budget's average interval (usage reported above 100 %).
const MAX_SLOWDOWN: f64 = 4.0;

/// A pacing scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PaceKey {
    /// One ad account (id without `act_`).
    Account(String),
    /// The whole app / token.
    App,
}

impl PaceKey {
    /// The scope of an ad account.
    pub fn account(id: &str) -> Self {
        Self::Account(account_key(id))
    }
}

/// Why and until when a scope is stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// When calls may resume.
    pub until: Instant,
    /// The Graph error code that caused it, 0 when the usage headers did.
    pub code: i64,
}

#[derive(Debug, Default, Clone, Copy)]
struct PaceState {
    pct: f64,
    block: Option<Block>,
    last_start: Option<Instant>,
}

/// Per-scope usage, blocks and call spacing.
#[derive(Debug)]
pub struct Pacer {
    base_interval: Duration,
    slow_down_at: f64,
    state: Mutex<HashMap<PaceKey, PaceState>>,
}

impl Pacer {
    /// `window / calls` is the average interval of the budget; `slow_down_at` is a percentage.
    pub fn new(window: Duration, calls: u32, slow_down_at: f64) -> Self {
        let base_interval = if calls == 0 { window / 200 } else { window / calls };
        Self { base_interval, slow_down_at: slow_down_at.clamp(0.0, 99.0), state: Mutex::default() }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<PaceKey, PaceState>> {
        // Every update is a plain field write; a poisoned map is still consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Minimum spacing between calls of a scope at `pct` usage: none below the threshold, then
    /// growing linearly so that at 100 % calls go at the budget's average rate (`window / calls`)
    /// instead of in bursts; slower still if Meta reports more than 100 %. Stopping outright is
    /// left to `estimated_time_to_regain_access` and throttle errors, which say for how long.
    pub fn spacing(&self, pct: f64) -> Duration {
        if !pct.is_finite() || pct < self.slow_down_at {
            return Duration::ZERO;
        }
        let over = (pct - self.slow_down_at) / (100.0 - self.slow_down_at);
        self.base_interval.mul_f64(over.clamp(0.0, MAX_SLOWDOWN))
    }

    /// Take in the usage headers of a response for `account` (the request's ad account).
    pub fn observe(&self, account: Option<&str>, usage: &Usage, now: Instant) {
        if usage.is_empty() {
            return;
        }
        let mut st = self.lock();
        let mut accounts: Vec<String> = usage.accounts().into_iter().map(str::to_owned).collect();
        let own_key = account.map(account_key);
        accounts.extend(own_key.clone());
        for a in &accounts {
            let a = a.as_str();
            let Some(pct) = usage.account_pct(a, account) else { continue };
            let s = st.entry(PaceKey::account(a)).or_default();
            s.pct = pct;
            // Access is gone: stop until Meta says it returns. The un-keyed reset time only
            // describes the request's own account.
            let own = own_key.as_deref() == Some(a);
            let regain = usage
                .regain_access_for(a)
                .or_else(|| (pct >= 100.0 && own).then(|| usage.account_reset()).flatten());
            if let Some(wait) = regain {
                extend(s, Block { until: now.checked_add(wait).unwrap_or(now), code: 0 });
            }
        }
        if let Some(pct) = usage.app_pct() {
            st.entry(PaceKey::App).or_default().pct = pct;
        }
    }

    /// Stop a scope until `until` (a throttle error). Never shortens an existing block.
    pub fn block(&self, key: PaceKey, until: Instant, code: i64) {
        extend(self.lock().entry(key).or_default(), Block { until, code });
    }

    /// The block in force for a call to `account` at `now` (the account's or the app's).
    pub fn blocked(&self, account: Option<&str>, now: Instant) -> Option<Block> {
        let st = self.lock();
        let mut keys = vec![PaceKey::App];
        keys.extend(account.map(PaceKey::account));
        keys.iter().filter_map(|k| st.get(k)?.block).filter(|b| b.until > now).max_by_key(|b| b.until)
    }

    /// When a call to `account` may start: `None` now, else the later of any block and the
    /// usage-based spacing after the scope's last call.
    pub fn ready_at(&self, account: Option<&str>, now: Instant) -> Option<Instant> {
        let blocked = self.blocked(account, now).map(|b| b.until);
        let st = self.lock();
        let mut keys = vec![PaceKey::App];
        keys.extend(account.map(PaceKey::account));
        let spaced = keys
            .iter()
            .filter_map(|k| {
                let s = st.get(k)?;
                Some(s.last_start? + self.spacing(s.pct))
            })
            .filter(|t| *t > now)
            .max();
        match (blocked, spaced) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// Atomically: if calls to every account in `accounts` may start at `now`, record that they
    /// started and return `None`; otherwise return when to try again. Two callers can never both
    /// take the same spacing slot.
    pub fn try_start(&self, accounts: &[Option<&str>], now: Instant) -> Option<Instant> {
        let mut st = self.lock();
        let mut keys = vec![PaceKey::App];
        keys.extend(accounts.iter().flatten().map(|a| PaceKey::account(a)));
        let ready = keys
            .iter()
            .filter_map(|k| {
                let s = st.get(k)?;
                let blocked = s.block.map(|b| b.until);
                let spaced = s.last_start.map(|t| t + self.spacing(s.pct));
                blocked.into_iter().chain(spaced).filter(|t| *t > now).max()
            })
            .max();
        if ready.is_none() {
            for k in keys {
                st.entry(k).or_default().last_start = Some(now);
            }
        }
        ready
    }

    /// Record that a call to `account` started at `now`.
    pub fn started(&self, account: Option<&str>, now: Instant) {
        let mut st = self.lock();
        st.entry(PaceKey::App).or_default().last_start = Some(now);
        if let Some(a) = account {
            st.entry(PaceKey::account(a)).or_default().last_start = Some(now);
        }
    }

    /// Last usage percentage seen for a scope.
    pub fn usage_pct(&self, key: &PaceKey) -> Option<f64> {
        self.lock().get(key).map(|s| s.pct)
    }
}

/// `d` from now; a wait too long for the clock ends a year from now instead of panicking.
pub(crate) fn from_now(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d).or_else(|| now.checked_add(Duration::from_secs(365 * 86400))).unwrap_or(now)
}

/// A tokio instant as wall-clock time (for errors the sync engine persists).
pub(crate) fn wall_clock(at: Instant) -> chrono::DateTime<chrono::Utc> {
    let left = at.saturating_duration_since(Instant::now());
    let left = chrono::TimeDelta::from_std(left).unwrap_or(chrono::TimeDelta::MAX);
    chrono::Utc::now().checked_add_signed(left).unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
}

fn extend(s: &mut PaceState, b: Block) {
    if s.block.is_none_or(|old| old.until < b.until) {
        s.block = Some(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buc(account: &str, call_count: f64, regain_min: f64) -> Usage {
        let h = format!(
            r#"{{"{account}":[{{"type":"ads_management","call_count":{call_count},"total_time":1,"total_cputime":1,"estimated_time_to_regain_access":{regain_min}}}]}}"#
        );
        Usage::from_headers(|n| (n == "x-business-use-case-usage").then_some(h.as_str()))
    }

    #[test]
    fn spacing_grows_past_the_threshold() {
        let p = Pacer::new(Duration::from_secs(3600), 200, 75.0);
        assert_eq!(p.spacing(50.0), Duration::ZERO);
        assert_eq!(p.spacing(75.0), Duration::ZERO);
        assert_eq!(p.spacing(87.5), Duration::from_secs(9));
        assert_eq!(p.spacing(100.0), Duration::from_secs(18));
        assert_eq!(p.spacing(500.0), Duration::from_secs(72));
        assert!(p.spacing(90.0) > p.spacing(80.0));
    }

    #[tokio::test(start_paused = true)]
    async fn usage_slows_only_the_scope_it_names() {
        let p = Pacer::new(Duration::from_secs(100), 10, 50.0);
        let t0 = Instant::now();
        p.observe(Some("act_1"), &buc("1", 75.0, 0.0), t0);
        p.started(Some("act_1"), t0);
        // 75 % is halfway from 50 to 100: half the 10 s average interval.
        assert_eq!(p.ready_at(Some("act_1"), t0), Some(t0 + Duration::from_secs(5)));
        assert_eq!(p.ready_at(Some("act_2"), t0), None);
        // The slot is taken atomically: a second caller must wait for the spacing.
        assert_eq!(p.try_start(&[Some("act_1")], t0), Some(t0 + Duration::from_secs(5)));
        assert_eq!(p.try_start(&[Some("act_2")], t0), None);
        assert_eq!(p.usage_pct(&PaceKey::account("1")), Some(75.0));
        // Usage goes down again: the spacing goes away.
        p.observe(Some("act_1"), &buc("1", 10.0, 0.0), t0);
        assert_eq!(p.ready_at(Some("act_1"), t0), None);
    }

    #[tokio::test(start_paused = true)]
    async fn regain_estimate_stops_the_account_until_access_returns() {
        let p = Pacer::new(Duration::from_secs(3600), 200, 75.0);
        let t0 = Instant::now();
        // Usage reported on a response for account 7 about account 8 as well.
        p.observe(Some("7"), &buc("8", 100.0, 3.0), t0);
        let until = t0 + Duration::from_secs(180);
        assert_eq!(p.blocked(Some("act_8"), t0), Some(Block { until, code: 0 }));
        assert_eq!(p.blocked(Some("7"), t0), None);
        assert_eq!(p.blocked(Some("8"), until), None);
        // A throttle error never shortens a block, and the app scope stops everyone.
        p.block(PaceKey::account("8"), t0 + Duration::from_secs(10), 80004);
        assert_eq!(p.blocked(Some("8"), t0).unwrap().until, until);
        p.block(PaceKey::App, t0 + Duration::from_secs(20), 4);
        assert_eq!(p.blocked(Some("7"), t0), Some(Block { until: t0 + Duration::from_secs(20), code: 4 }));
        assert_eq!(p.ready_at(None, t0), Some(t0 + Duration::from_secs(20)));
    }

    #[tokio::test(start_paused = true)]
    async fn full_account_usage_without_estimate_uses_reset_time() {
        let p = Pacer::new(Duration::from_secs(3600), 200, 75.0);
        let t0 = Instant::now();
        let h = r#"{"acc_id_util_pct":100,"reset_time_duration":40}"#;
        let u = Usage::from_headers(|n| (n == "x-ad-account-usage").then_some(h));
        p.observe(Some("act_3"), &u, t0);
        assert_eq!(p.blocked(Some("3"), t0).unwrap().until, t0 + Duration::from_secs(40));
    }
}
