//! Deterministic world generation from a seed and a size spec. The first objects of each
//! account follow fixed status patterns so that even a tiny test world shows every status.

use super::catalog::*;
use super::config::SimConfig;
use super::hash::{Stream, h3};
use super::ids::Ids;
use super::world::*;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

const CAMPAIGN_PATTERN: [(u8, u8); 8] = [
    (ACTIVE, ACTIVE),
    (PAUSED, PAUSED),
    (ACTIVE, ACTIVE),
    (ARCHIVED, ARCHIVED),
    (ACTIVE, WITH_ISSUES),
    (DELETED, DELETED),
    (ACTIVE, IN_PROCESS),
    (ACTIVE, ACTIVE),
];

const AD_PATTERN: [(u8, u8); 10] = [
    (ACTIVE, ACTIVE),
    (ACTIVE, ACTIVE),
    (PAUSED, PAUSED),
    (DELETED, DELETED),
    (ACTIVE, PENDING_REVIEW),
    (ARCHIVED, ARCHIVED),
    (ACTIVE, DISAPPROVED),
    (ACTIVE, PENDING_BILLING_INFO),
    (ACTIVE, PREAPPROVED),
    (ACTIVE, WITH_ISSUES),
];

/// Statuses under which an object never delivered.
fn never_delivers(status: u8) -> bool {
    matches!(status, IN_PROCESS | PENDING_REVIEW | DISAPPROVED | PREAPPROVED | PENDING_BILLING_INFO)
}

fn stopped(configured: u8) -> bool {
    matches!(configured, PAUSED | ARCHIVED | DELETED)
}

/// Per-account generation context.
struct Ctx {
    tz: Tz,
    today: i32,
    hist_start: i32,
    now: i64,
    fx: f64,
    offset: f64,
    /// Index of the account's first ad.
    first_ad: usize,
}

impl Ctx {
    /// A time on `day` at a random second, never after now.
    fn at(&self, s: &mut Stream, day: i32) -> i64 {
        local_time(self.tz, day, (s.next() % 86_400) as u32).min(self.now - 60)
    }

    /// A "round" money amount in minor units from a USD amount.
    fn money(&self, usd: f64) -> u64 {
        let minor = usd * self.fx * self.offset;
        let step = if minor > 10_000.0 { 100.0 } else { 1.0 };
        ((minor / step).round() * step).max(1.0) as u64
    }

    /// The day an object with a stopped status stopped, between `start` and yesterday.
    fn stop_day(&self, s: &mut Stream, start: i32) -> i32 {
        let lo = start.max(self.hist_start - 20);
        let hi = (self.today - 1).max(lo);
        lo + (s.next() % (hi - lo + 1) as u64) as i32
    }
}

/// Builds the world of `cfg` as of `now`.
pub(crate) fn generate(cfg: &SimConfig, now: DateTime<Utc>) -> World {
    let seed = cfg.seed;
    let mut w = World {
        seed,
        ids: Ids::new(seed),
        businesses: Vec::new(),
        accounts: Vec::new(),
        campaigns: Vec::new(),
        adsets: Vec::new(),
        ads: Vec::new(),
        gaps: HashMap::new(),
    };
    let nb = cfg.businesses.max(1);
    for b in 0..nb {
        let mut s = Stream::new(h3(seed, 1, b as u64));
        w.businesses.push(Business { created: now.timestamp() - 86_400 * (800 + s.below(900) as i64) });
    }
    for a in 0..cfg.accounts {
        gen_account(cfg, &mut w, a, nb, now);
    }
    w
}

fn gen_account(cfg: &SimConfig, w: &mut World, a: usize, nb: usize, now: DateTime<Utc>) {
    let seed = cfg.seed;
    let mut s = Stream::new(h3(seed, 2, a as u64));
    let tz: Tz = TIMEZONES[a % TIMEZONES.len()].parse().expect("known tz");
    let currency = (a % CURRENCIES.len()) as u8;
    let today = day_number(now.with_timezone(&tz).date_naive());
    let days = cfg.days.max(1) as i32;
    let cx = Ctx {
        tz,
        today,
        hist_start: today - days + 1,
        now: now.timestamp(),
        fx: CURRENCIES[currency as usize].2,
        offset: currency_offset(CURRENCIES[currency as usize].0) as f64,
        first_ad: w.ads.len(),
    };
    let status = ACCOUNT_STATUSES[a % ACCOUNT_STATUSES.len()];
    let business = (a % nb) as u32;
    let client_of = (nb > 1 && a % 3 == 2).then(|| ((a + 1) % nb) as u32);
    let created_day = cx.hist_start - 200 - s.below(400) as i32;
    let created = cx.at(&mut s, created_day);
    let amount_spent = cx.money(5_000.0 + s.unit() * 500_000.0);
    let first_campaign = w.campaigns.len() as u32;
    for j in 0..cfg.campaigns_per_account {
        gen_campaign(cfg, w, &cx, a, j);
    }
    w.accounts.push(Account {
        business,
        client_of,
        currency,
        tz,
        status,
        disable_reason: match status {
            2 => 1,
            101 => 7,
            _ => 0,
        },
        created,
        amount_spent,
        campaigns: (first_campaign, w.campaigns.len() as u32),
        hist_start: cx.hist_start,
        restated: Vec::new(),
    });
}

fn gen_campaign(cfg: &SimConfig, w: &mut World, cx: &Ctx, a: usize, j: usize) {
    let c = w.campaigns.len();
    let mut s = Stream::new(h3(cfg.seed, 3, c as u64));
    let (configured, own) = if j < CAMPAIGN_PATTERN.len() {
        CAMPAIGN_PATTERN[(j + a) % CAMPAIGN_PATTERN.len()]
    } else {
        match s.unit() {
            x if x < 0.62 => (ACTIVE, ACTIVE),
            x if x < 0.77 => (PAUSED, PAUSED),
            x if x < 0.86 => (ARCHIVED, ARCHIVED),
            x if x < 0.93 => (DELETED, DELETED),
            x if x < 0.97 => (ACTIVE, WITH_ISSUES),
            _ => (ACTIVE, IN_PROCESS),
        }
    };
    let objective = if s.unit() < 0.6 { s.below(6) } else { 6 + s.below(OBJECTIVES.len() - 6) } as u8;
    let start_day = if own == IN_PROCESS {
        cx.today
    } else if s.unit() < 0.7 {
        cx.hist_start - s.below(60) as i32
    } else {
        cx.hist_start + s.below((cx.today - cx.hist_start + 1) as usize) as i32
    };
    let start = local_time(cx.tz, start_day, 3600 * s.below(12) as u32).min(cx.now - 120);
    let created = (start - 86_400 * s.below(4) as i64 - s.below(86_400) as i64).min(start);
    let cbo = s.unit() < 0.4;
    let lifetime = cbo && s.unit() < 0.3;
    let stop_day_time = if lifetime || s.unit() < 0.2 { cx.today + 5 + s.below(60) as i32 } else { 0 };
    let stop = if stop_day_time > 0 { local_time(cx.tz, stop_day_time, 0) } else { 0 };
    let budget = cx.money(20.0 + s.unit() * 480.0);
    let (stop_day, updated) = if stopped(configured) {
        let d = cx.stop_day(&mut s, start_day);
        (d, cx.at(&mut s, d).max(created))
    } else {
        (i32::MAX, created + ((cx.now - created) as f64 * s.unit()) as i64)
    };
    w.campaigns.push(Campaign {
        account: a as u32,
        objective,
        configured,
        own,
        bid_strategy: s.below(BID_STRATEGIES.len()) as u8,
        daily_budget: if cbo && !lifetime { budget } else { 0 },
        lifetime_budget: if lifetime { budget * 30 } else { 0 },
        created,
        updated,
        start,
        stop,
        adsets: (0, 0),
    });
    let first = w.adsets.len() as u32;
    for k in 0..cfg.adsets_per_campaign {
        gen_adset(cfg, w, cx, c, start_day, stop_day, k);
    }
    w.campaigns[c].adsets = (first, w.adsets.len() as u32);
}

fn gen_adset(cfg: &SimConfig, w: &mut World, cx: &Ctx, c: usize, c_start: i32, c_stop: i32, k: usize) {
    let i = w.adsets.len();
    let mut s = Stream::new(h3(cfg.seed, 4, i as u64));
    let (configured, own) = match (k, s.unit()) {
        (0, _) => (ACTIVE, ACTIVE),
        (_, x) if x < 0.80 => (ACTIVE, ACTIVE),
        (_, x) if x < 0.90 => (PAUSED, PAUSED),
        (_, x) if x < 0.94 => (ARCHIVED, ARCHIVED),
        (_, x) if x < 0.97 => (DELETED, DELETED),
        _ => (ACTIVE, WITH_ISSUES),
    };
    let camp = &w.campaigns[c];
    let cbo = camp.cbo();
    let start_day = c_start + s.below(3) as i32;
    let start = local_time(cx.tz, start_day, 3600 * s.below(24) as u32).min(cx.now - 90).max(camp.start);
    let created = start.min(camp.created + s.below(86_400) as i64).max(camp.created);
    let lifetime = !cbo && s.unit() < 0.2;
    let end = if lifetime || s.unit() < 0.2 {
        if camp.stop > 0 { camp.stop } else { local_time(cx.tz, cx.today + 10 + s.below(50) as i32, 0) }
    } else {
        0
    };
    let budget = cx.money(10.0 + s.unit() * 240.0);
    let bid_strategy = s.below(BID_STRATEGIES.len()) as u8;
    let capped = matches!(bid_strategy, 1 | 2) && !cbo;
    let (stop_day, updated) = if stopped(configured) {
        let d = cx.stop_day(&mut s, start_day).min(c_stop);
        (d, cx.at(&mut s, d).max(created))
    } else {
        (c_stop, created + ((cx.now - created) as f64 * s.unit()) as i64)
    };
    w.adsets.push(AdSet {
        campaign: c as u32,
        configured,
        own,
        optimization: s.below(OPTIMIZATION.len()) as u8,
        bid_strategy,
        daily_budget: if !cbo && !lifetime { budget } else { 0 },
        lifetime_budget: if lifetime { budget * 30 } else { 0 },
        bid_amount: if capped { cx.money(0.5 + s.unit() * 5.0) } else { 0 },
        created,
        updated,
        start,
        end,
        country: s.below(COUNTRIES.len()) as u8,
        age_min: [18, 21, 25][s.below(3)],
        age_max: [45, 55, 65][s.below(3)],
        ads: (0, 0),
    });
    let first = w.ads.len() as u32;
    let c_own = w.campaigns[c].own;
    for _ in 0..cfg.ads_per_adset {
        gen_ad(cfg, w, cx, i, start_day, stop_day, c_own, objective_weight(w.campaigns[c].objective));
    }
    w.adsets[i].ads = (first, w.ads.len() as u32);
}

/// Conversion-rate multiplier by objective: awareness campaigns rarely buy.
fn objective_weight(objective: u8) -> f64 {
    match objective_type(OBJECTIVES[objective as usize]) {
        "conversion" => 1.0,
        "consideration" => 0.4,
        _ => 0.1,
    }
}

#[allow(clippy::too_many_arguments)]
fn gen_ad(
    cfg: &SimConfig,
    w: &mut World,
    cx: &Ctx,
    set: usize,
    s_start: i32,
    s_stop: i32,
    c_own: u8,
    conv: f64,
) {
    let d = w.ads.len();
    let mut s = Stream::new(h3(cfg.seed, 5, d as u64));
    // Ordinal of this ad within its account: the first ones follow the pattern.
    let local = d - cx.first_ad;
    let (configured, own) = if local < AD_PATTERN.len() {
        AD_PATTERN[local]
    } else {
        match s.unit() {
            x if x < 0.80 => (ACTIVE, ACTIVE),
            x if x < 0.88 => (PAUSED, PAUSED),
            x if x < 0.92 => (DELETED, DELETED),
            x if x < 0.95 => (ARCHIVED, ARCHIVED),
            x if x < 0.96 => (ACTIVE, PENDING_REVIEW),
            x if x < 0.97 => (ACTIVE, DISAPPROVED),
            x if x < 0.98 => (ACTIVE, WITH_ISSUES),
            x if x < 0.99 => (ACTIVE, PENDING_BILLING_INFO),
            _ => (ACTIVE, PREAPPROVED),
        }
    };
    let set_ref = &w.adsets[set];
    let first_day = s_start + s.below(3) as i32;
    let created =
        local_time(cx.tz, first_day, 3600 * s.below(10) as u32).min(cx.now - 60).max(set_ref.created);
    let (own_stop, updated) = if stopped(configured) {
        let d = cx.stop_day(&mut s, first_day);
        (d, cx.at(&mut s, d).max(created))
    } else {
        (i32::MAX, created + ((cx.now - created) as f64 * s.unit()) as i64)
    };
    let last_day =
        if never_delivers(own) || never_delivers(c_own) { first_day - 1 } else { own_stop.min(s_stop) };
    let base = 200.0 * (100f64).powf(s.unit());
    let profile = Profile {
        base_impressions: base as f32,
        ctr: s.unit().mul_add(0.027, 0.004) as f32,
        cpm_minor: (s.unit().mul_add(10.0, 2.0) * cx.fx * cx.offset) as f32,
        cvr: (s.unit().mul_add(0.06, 0.02) * conv) as f32,
        aov_minor: (s.unit().mul_add(130.0, 20.0) * cx.fx * cx.offset) as f32,
        reach_ratio: s.unit().mul_add(0.4, 0.55) as f32,
    };
    w.ads.push(Ad { adset: set as u32, configured, own, created, updated, first_day, last_day, profile });
}
