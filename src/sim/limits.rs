//! Call budgets over rolling windows (facts §2) and the usage headers Meta sends on every
//! response: `x-app-usage`, `x-ad-account-usage`, `x-business-use-case-usage` and
//! `x-fb-ads-insights-throttle`. Over budget a call is refused (and not counted) with
//! 4, 17, 613, 80000 or 80004.

use super::config::SimLimits;
use super::errors::ApiError;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// Bucketed sliding-window counter: O(1) per call whatever the budget.
#[derive(Debug)]
struct Counter {
    window: Duration,
    width: Duration,
    origin: Instant,
    buckets: VecDeque<(u64, u32)>,
    total: u64,
}

const BUCKETS: u32 = 100;

impl Counter {
    fn new(window: Duration, origin: Instant) -> Self {
        let width = (window / BUCKETS).max(Duration::from_millis(1));
        Self { window, width, origin, buckets: VecDeque::new(), total: 0 }
    }

    fn slot(&self, now: Instant) -> u64 {
        (now.saturating_duration_since(self.origin).as_nanos() / self.width.as_nanos()) as u64
    }

    fn span(&self) -> u64 {
        (self.window.as_nanos() / self.width.as_nanos()).max(1) as u64
    }

    fn evict(&mut self, now: Instant) {
        let current = self.slot(now);
        let span = self.span();
        while let Some(&(slot, n)) = self.buckets.front() {
            if slot + span > current {
                break;
            }
            self.buckets.pop_front();
            self.total -= n as u64;
        }
    }

    fn count(&mut self, now: Instant) -> u64 {
        self.evict(now);
        self.total
    }

    fn add(&mut self, now: Instant) {
        let slot = self.slot(now);
        match self.buckets.back_mut() {
            Some((s, n)) if *s == slot => *n += 1,
            _ => self.buckets.push_back((slot, 1)),
        }
        self.total += 1;
    }

    /// Time until the count drops below `budget` (zero when already below).
    fn regain(&mut self, now: Instant, budget: u64) -> Duration {
        self.evict(now);
        if self.total < budget {
            return Duration::ZERO;
        }
        let mut left = self.total;
        let span = self.span();
        for &(slot, n) in &self.buckets {
            left -= n as u64;
            if left < budget {
                let free_at = self.origin + self.width * (slot + span) as u32;
                return free_at.saturating_duration_since(now);
            }
        }
        self.window
    }

    /// Time until the oldest counted call leaves the window.
    fn reset_in(&mut self, now: Instant) -> Duration {
        self.evict(now);
        match self.buckets.front() {
            Some(&(slot, _)) => {
                (self.origin + self.width * (slot + self.span()) as u32).saturating_duration_since(now)
            }
            None => Duration::ZERO,
        }
    }
}

#[derive(Debug)]
struct AccountCounters {
    calls: Counter,
    insights: Counter,
    burst: Counter,
}

/// Budgets of the app, of each token and of each ad account.
#[derive(Debug)]
pub(crate) struct Limiter {
    cfg: SimLimits,
    origin: Instant,
    app: Counter,
    users: HashMap<String, Counter>,
    accounts: HashMap<usize, AccountCounters>,
}

/// Usage after a call, for the headers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Usage {
    pub app_pct: f64,
    pub account: Option<AccountUsage>,
}

/// Usage of one ad account.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountUsage {
    pub account_id: String,
    pub calls_pct: f64,
    pub insights_pct: f64,
    pub reset_secs: u64,
    pub calls_regain_min: u64,
    pub insights_regain_min: u64,
}

fn pct(used: u64, budget: u32) -> f64 {
    if budget == 0 { 100.0 } else { used as f64 * 100.0 / budget as f64 }
}

fn minutes(d: Duration) -> u64 {
    if d.is_zero() { 0 } else { d.as_secs().div_ceil(60).max(1) }
}

impl Limiter {
    /// A limiter with `cfg`'s budgets.
    pub(crate) fn new(cfg: SimLimits, now: Instant) -> Self {
        Self {
            app: Counter::new(cfg.window, now),
            cfg,
            origin: now,
            users: HashMap::new(),
            accounts: HashMap::new(),
        }
    }

    /// Forgets every counted call.
    pub(crate) fn reset(&mut self, now: Instant) {
        *self = Self::new(self.cfg.clone(), now);
    }

    fn account(&mut self, a: usize) -> &mut AccountCounters {
        let (w, o) = (self.cfg.window, self.origin);
        self.accounts.entry(a).or_insert_with(|| AccountCounters {
            calls: Counter::new(w, o),
            insights: Counter::new(w, o),
            burst: Counter::new(Duration::from_secs(1), o),
        })
    }

    /// Counts one call, or refuses it when a budget is spent.
    pub(crate) fn admit(
        &mut self,
        now: Instant,
        account: Option<(usize, &str)>,
        insights: bool,
        user: Option<&str>,
    ) -> Result<(), ApiError> {
        let cfg = self.cfg.clone();
        if self.app.count(now) >= cfg.app_calls as u64 {
            return Err(ApiError::app_throttled());
        }
        if let (Some(budget), Some(u)) = (cfg.user_calls, user) {
            let c = self.users.entry(u.to_string()).or_insert_with(|| Counter::new(cfg.window, self.origin));
            if c.count(now) >= budget as u64 {
                return Err(ApiError::user_throttled());
            }
        }
        if let Some((a, _)) = account {
            let acc = self.account(a);
            if cfg.account_calls_per_second.is_some_and(|b| acc.burst.count(now) >= b as u64) {
                return Err(ApiError::custom_throttled());
            }
            if insights && acc.insights.count(now) >= cfg.account_insights_calls as u64 {
                return Err(ApiError::insights_throttled());
            }
            if acc.calls.count(now) >= cfg.account_calls as u64 {
                return Err(ApiError::management_throttled());
            }
            acc.calls.add(now);
            acc.burst.add(now);
            if insights {
                acc.insights.add(now);
            }
        }
        if let (Some(_), Some(u)) = (cfg.user_calls, user)
            && let Some(c) = self.users.get_mut(u)
        {
            c.add(now);
        }
        self.app.add(now);
        Ok(())
    }

    /// Current usage, as seen by a call on `account`.
    pub(crate) fn usage(&mut self, now: Instant, account: Option<(usize, &str)>) -> Usage {
        let app_pct = pct(self.app.count(now), self.cfg.app_calls);
        let cfg = self.cfg.clone();
        let account = account.map(|(a, id)| {
            let acc = self.account(a);
            let calls = acc.calls.count(now);
            let ins = acc.insights.count(now);
            AccountUsage {
                account_id: id.to_string(),
                calls_pct: pct(calls, cfg.account_calls),
                insights_pct: pct(ins, cfg.account_insights_calls),
                reset_secs: acc.calls.reset_in(now).as_secs(),
                calls_regain_min: minutes(acc.calls.regain(now, cfg.account_calls as u64)),
                insights_regain_min: minutes(acc.insights.regain(now, cfg.account_insights_calls as u64)),
            }
        });
        Usage { app_pct, account }
    }
}

impl Usage {
    /// The four usage headers (all of them on every response, errors and batch items too).
    pub(crate) fn headers(&self) -> Vec<(String, String)> {
        let app = self.app_pct.floor() as u64;
        let mut h = vec![(
            "x-app-usage".to_string(),
            format!(r#"{{"call_count":{app},"total_cputime":{},"total_time":{}}}"#, app / 2, app / 2),
        )];
        let tier = "standard_access";
        match &self.account {
            Some(a) => {
                let calls = a.calls_pct.floor() as u64;
                let ins = a.insights_pct.floor() as u64;
                h.push((
                    "x-ad-account-usage".to_string(),
                    format!(
                        r#"{{"acc_id_util_pct":{:.2},"reset_time_duration":{},"ads_api_access_tier":"{tier}"}}"#,
                        a.calls_pct, a.reset_secs
                    ),
                ));
                h.push((
                    "x-business-use-case-usage".to_string(),
                    format!(
                        r#"{{"{id}":[{{"type":"ads_management","call_count":{calls},"total_cputime":{},"total_time":{},"estimated_time_to_regain_access":{},"ads_api_access_tier":"{tier}"}},{{"type":"ads_insights","call_count":{ins},"total_cputime":{},"total_time":{},"estimated_time_to_regain_access":{},"ads_api_access_tier":"{tier}"}}]}}"#,
                        calls / 2,
                        calls / 2,
                        a.calls_regain_min,
                        ins / 2,
                        ins / 2,
                        a.insights_regain_min,
                        id = a.account_id
                    ),
                ));
                h.push((
                    "x-fb-ads-insights-throttle".to_string(),
                    format!(
                        r#"{{"app_id_util_pct":{:.2},"acc_id_util_pct":{:.2},"ads_api_access_tier":"{tier}"}}"#,
                        self.app_pct, a.insights_pct
                    ),
                ));
            }
            None => {
                h.push((
                    "x-ad-account-usage".to_string(),
                    format!(
                        r#"{{"acc_id_util_pct":0,"reset_time_duration":0,"ads_api_access_tier":"{tier}"}}"#
                    ),
                ));
                h.push(("x-business-use-case-usage".to_string(), "{}".to_string()));
                h.push((
                    "x-fb-ads-insights-throttle".to_string(),
                    format!(
                        r#"{{"app_id_util_pct":{:.2},"acc_id_util_pct":0,"ads_api_access_tier":"{tier}"}}"#,
                        self.app_pct
                    ),
                ));
            }
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_over_budget_and_recovers_after_the_window() {
        let t0 = Instant::now();
        let cfg = SimLimits { window: Duration::from_secs(10), account_calls: 3, ..SimLimits::default() };
        let mut l = Limiter::new(cfg, t0);
        for _ in 0..3 {
            l.admit(t0, Some((0, "1")), false, None).unwrap();
        }
        let e = l.admit(t0, Some((0, "1")), false, None).unwrap_err();
        assert_eq!(e.code, 80004);
        let u = l.usage(t0, Some((0, "1")));
        assert_eq!(u.account.unwrap().calls_regain_min, 1);
        assert!(l.admit(t0 + Duration::from_secs(11), Some((0, "1")), false, None).is_ok());
    }
}
