//! Call budgets as Meta computes them (docs/graph-api.md §2) and the usage headers Meta sends on
//! every response: `x-app-usage`, `x-ad-account-usage`, `x-business-use-case-usage` and
//! `x-fb-ads-insights-throttle`.
//!
//! Every budget is a score that decays continuously: a call adds its points, and the score
//! drains linearly at `capacity / window` per second. Per ad account the capacity is the access
//! tier's hourly business-use-case budget (`300 + 40 × active ads` management calls at Limited
//! access, §2.5) scaled to the 300-second decay of the ad-account score (§2.5): sustained
//! traffic gets exactly the hourly budget, and a full score is empty five minutes later. A call
//! that does not fit is refused with 80004, 80000, 613, 17 or 4 (§2.4) and not counted; the
//! headers then say how long until it would fit.

use super::catalog::ACTIVE;
use super::config::SimLimits;
use super::errors::ApiError;
use super::world::World;
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// App and token budgets are hourly (`x-app-usage` is a rolling hour, §2.1).
const HOUR: Duration = Duration::from_secs(3600);
/// Float slack so that a score filled to exactly its capacity still admits nothing more.
const EPS: f64 = 1e-9;
/// Points of a write on the management score (reads cost 1, §2.5).
const WRITE_POINTS: f64 = 3.0;

/// A score and the instant it was last brought up to date.
#[derive(Debug, Clone, Copy)]
struct Score {
    points: f64,
    at: Instant,
}

/// How much a score holds and how fast it drains.
#[derive(Debug, Clone, Copy)]
struct Budget {
    capacity: f64,
    window: Duration,
}

impl Budget {
    fn rate(&self) -> f64 {
        self.capacity / self.window.as_secs_f64().max(1e-3)
    }

    fn fits(&self, points: f64, cost: f64) -> bool {
        points + cost <= self.capacity + EPS
    }

    fn pct(&self, points: f64) -> f64 {
        if self.capacity <= 0.0 { 100.0 } else { points * 100.0 / self.capacity }
    }

    /// Time until a call costing `cost` fits (zero when it fits now).
    fn regain(&self, points: f64, cost: f64) -> Duration {
        let over = points + cost - self.capacity;
        if over <= EPS { Duration::ZERO } else { secs(over / self.rate()) }
    }

    /// Time until the score is back to zero.
    fn reset(&self, points: f64) -> Duration {
        secs(points / self.rate())
    }
}

fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX)
}

impl Score {
    fn new(at: Instant) -> Self {
        Self { points: 0.0, at }
    }

    /// The score at `now`, after draining since the last update.
    fn at(&mut self, now: Instant, b: Budget) -> f64 {
        if now > self.at {
            let drained = now.duration_since(self.at).as_secs_f64() * b.rate();
            self.points = (self.points - drained).max(0.0);
            self.at = now;
        }
        self.points
    }
}

/// The ad account a call is on, with what its budget depends on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountRef<'a> {
    /// Index of the account in the world.
    pub index: usize,
    /// Account id without `act_` (the key of `x-business-use-case-usage`).
    pub id: &'a str,
    /// Ads whose effective status is ACTIVE: the tier formulas scale with them.
    pub active_ads: u64,
}

/// What a call costs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cost {
    /// An insights call (also counts on the management score).
    pub insights: bool,
    /// A write (POST/DELETE outside insights): 3 points on the management score.
    pub write: bool,
}

#[derive(Debug)]
struct AccountScores {
    management: Score,
    insights: Score,
    burst: Score,
}

/// Scores of the app, of each token and of each ad account.
#[derive(Debug)]
pub(crate) struct Limiter {
    cfg: SimLimits,
    origin: Instant,
    app: Score,
    users: HashMap<String, Score>,
    accounts: HashMap<usize, AccountScores>,
}

/// Usage after a call, for the headers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Usage {
    pub app_pct: f64,
    pub tier: &'static str,
    pub account: Option<AccountUsage>,
}

/// Usage of one ad account.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountUsage {
    pub account_id: String,
    pub calls_pct: f64,
    pub insights_pct: f64,
    /// Seconds until the management score is back to zero.
    pub reset_secs: u64,
    /// Whole minutes, rounded up, until a management call fits again (0 when one fits now).
    pub calls_regain_min: u64,
    /// Same for an insights call.
    pub insights_regain_min: u64,
}

fn minutes(d: Duration) -> u64 {
    if d.is_zero() { 0 } else { (d.as_secs_f64() / 60.0).ceil().max(1.0) as u64 }
}

/// Account `index` (id `id`, without `act_`) as its budgets see it. Active ads are counted
/// only when a tier formula needs them.
pub(crate) fn account_ref<'a>(
    world: &World,
    limits: &SimLimits,
    index: Option<usize>,
    id: Option<&'a str>,
) -> Option<AccountRef<'a>> {
    let (index, id) = index.zip(id)?;
    let active_ads = if limits.account_calls.is_some() && limits.account_insights_calls.is_some() {
        0
    } else {
        let (first, last) = world.account_ads(index);
        (first..last).filter(|&d| world.ad_status(d) == ACTIVE).count() as u64
    };
    Some(AccountRef { index, id, active_ads })
}

impl Limiter {
    /// A limiter with `cfg`'s budgets.
    pub(crate) fn new(cfg: SimLimits, now: Instant) -> Self {
        Self { cfg, origin: now, app: Score::new(now), users: HashMap::new(), accounts: HashMap::new() }
    }

    /// Forgets every counted call.
    pub(crate) fn reset(&mut self, now: Instant) {
        *self = Self::new(self.cfg.clone(), now);
    }

    fn app_budget(&self) -> Budget {
        Budget { capacity: f64::from(self.cfg.app_calls), window: HOUR }
    }

    fn budgets(&self, active_ads: u64) -> (Budget, Budget, Budget) {
        let window = self.cfg.window;
        let burst = self.cfg.account_calls_per_second.map_or(f64::INFINITY, f64::from);
        (
            Budget { capacity: self.cfg.management_capacity(active_ads), window },
            Budget { capacity: self.cfg.insights_capacity(active_ads), window },
            Budget { capacity: burst, window: Duration::from_secs(1) },
        )
    }

    fn account(&mut self, a: usize) -> &mut AccountScores {
        let o = self.origin;
        self.accounts.entry(a).or_insert_with(|| AccountScores {
            management: Score::new(o),
            insights: Score::new(o),
            burst: Score::new(o),
        })
    }

    /// Counts one call, or refuses it (uncounted) when a budget has no room for it.
    pub(crate) fn admit(
        &mut self,
        now: Instant,
        account: Option<AccountRef<'_>>,
        cost: Cost,
        user: Option<&str>,
    ) -> Result<(), ApiError> {
        let app_b = self.app_budget();
        let app = self.app.at(now, app_b);
        if !app_b.fits(app, 1.0) {
            return Err(ApiError::app_throttled());
        }
        let user_b = self.cfg.user_calls.map(|c| Budget { capacity: f64::from(c), window: HOUR });
        let origin = self.origin;
        if let (Some(b), Some(u)) = (user_b, user) {
            let s = self.users.entry(u.to_string()).or_insert_with(|| Score::new(origin));
            if !b.fits(s.at(now, b), 1.0) {
                return Err(ApiError::user_throttled());
            }
        }
        if let Some(acc) = account {
            let (mb, ib, bb) = self.budgets(acc.active_ads);
            let points = if cost.write && !cost.insights { WRITE_POINTS } else { 1.0 };
            let s = self.account(acc.index);
            if !bb.fits(s.burst.at(now, bb), 1.0) {
                return Err(ApiError::custom_throttled());
            }
            if cost.insights && !ib.fits(s.insights.at(now, ib), 1.0) {
                return Err(ApiError::insights_throttled());
            }
            if !mb.fits(s.management.at(now, mb), points) {
                return Err(ApiError::management_throttled());
            }
            s.management.points += points;
            s.burst.points += 1.0;
            if cost.insights {
                s.insights.points += 1.0;
            }
        }
        if let (Some(_), Some(u)) = (user_b, user)
            && let Some(s) = self.users.get_mut(u)
        {
            s.points += 1.0;
        }
        self.app.points += 1.0;
        Ok(())
    }

    /// Current usage, as seen by a call on `account`.
    pub(crate) fn usage(&mut self, now: Instant, account: Option<AccountRef<'_>>) -> Usage {
        let app_b = self.app_budget();
        let app_pct = app_b.pct(self.app.at(now, app_b));
        let account = account.map(|acc| {
            let (mb, ib, _) = self.budgets(acc.active_ads);
            let s = self.account(acc.index);
            let (m, i) = (s.management.at(now, mb), s.insights.at(now, ib));
            AccountUsage {
                account_id: acc.id.to_string(),
                calls_pct: mb.pct(m),
                insights_pct: ib.pct(i),
                reset_secs: mb.reset(m).as_secs_f64().ceil() as u64,
                calls_regain_min: minutes(mb.regain(m, 1.0)),
                insights_regain_min: minutes(ib.regain(i, 1.0)),
            }
        });
        Usage { app_pct, tier: self.cfg.tier.header_value(), account }
    }
}

/// A percentage with at most two decimals, as Meta writes `acc_id_util_pct`.
fn pct2(p: f64) -> serde_json::Value {
    serde_json::json!((p * 100.0).round() / 100.0)
}

impl Usage {
    /// The four usage headers (all of them on every response, errors and batch items too).
    /// Whole-number shares (`call_count`, …) are rounded to the nearest percent.
    pub(crate) fn headers(&self) -> Vec<(String, String)> {
        use serde_json::json;
        let tier = self.tier;
        let app = self.app_pct.round() as u64;
        let app_usage = json!({"call_count": app, "total_cputime": app / 2, "total_time": app / 2});
        let (account, buc, throttle) = match &self.account {
            Some(a) => {
                let entry = |kind: &str, pct: f64, regain: u64| {
                    let n = pct.round() as u64;
                    json!({"type": kind, "call_count": n, "total_cputime": n / 2, "total_time": n / 2,
                           "estimated_time_to_regain_access": regain, "ads_api_access_tier": tier})
                };
                (
                    json!({"acc_id_util_pct": pct2(a.calls_pct), "reset_time_duration": a.reset_secs,
                           "ads_api_access_tier": tier}),
                    json!({a.account_id.clone(): [
                        entry("ads_management", a.calls_pct, a.calls_regain_min),
                        entry("ads_insights", a.insights_pct, a.insights_regain_min),
                    ]}),
                    json!({"app_id_util_pct": pct2(self.app_pct), "acc_id_util_pct": pct2(a.insights_pct),
                           "ads_api_access_tier": tier}),
                )
            }
            None => (
                json!({"acc_id_util_pct": 0, "reset_time_duration": 0, "ads_api_access_tier": tier}),
                json!({}),
                json!({"app_id_util_pct": pct2(self.app_pct), "acc_id_util_pct": 0, "ads_api_access_tier": tier}),
            ),
        };
        [
            ("x-app-usage", app_usage),
            ("x-ad-account-usage", account),
            ("x-business-use-case-usage", buc),
            ("x-fb-ads-insights-throttle", throttle),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(active_ads: u64) -> Option<AccountRef<'static>> {
        Some(AccountRef { index: 0, id: "1", active_ads })
    }

    const READ: Cost = Cost { insights: false, write: false };

    #[test]
    fn tier_capacity_scales_with_active_ads_and_drains_in_the_window() {
        let t0 = Instant::now();
        let mut l = Limiter::new(SimLimits::default(), t0);
        // (300 + 40 × 15) per hour over 300 s: 75 points.
        for _ in 0..75 {
            l.admit(t0, acc(15), READ, None).unwrap();
        }
        assert_eq!(l.admit(t0, acc(15), READ, None).unwrap_err().code, 80004);
        let u = l.usage(t0, acc(15)).account.unwrap();
        assert_eq!((u.calls_pct, u.reset_secs, u.calls_regain_min), (100.0, 300, 1));
        // One point drains every 4 s (75 / 300 s).
        let later = t0 + Duration::from_secs(4);
        assert!(l.admit(later, acc(15), READ, None).is_ok());
        assert_eq!(l.admit(later, acc(15), READ, None).unwrap_err().code, 80004);
        let u = l.usage(t0 + Duration::from_secs(154), acc(15)).account.unwrap();
        assert!((u.calls_pct - 50.0).abs() < 1e-6, "{}", u.calls_pct);
        assert_eq!(u.calls_regain_min, 0);
        // More active ads, more room.
        assert!(l.admit(later, acc(16), READ, None).is_ok());
    }

    #[test]
    fn writes_cost_three_points_and_refused_calls_are_not_counted() {
        let t0 = Instant::now();
        let cfg = SimLimits { account_calls: Some(4), ..SimLimits::default() };
        let mut l = Limiter::new(cfg, t0);
        let write = Cost { insights: false, write: true };
        l.admit(t0, acc(0), write, None).unwrap();
        assert_eq!(l.admit(t0, acc(0), write, None).unwrap_err().code, 80004);
        l.admit(t0, acc(0), READ, None).unwrap();
        let u = l.usage(t0, acc(0)).account.unwrap();
        assert_eq!(u.calls_pct, 100.0);
    }
}
