//! The simulated world: compact entity tables (indices instead of ids and strings; names and
//! creative texts are derived from hashes when served) and the rules that derive effective
//! status and delivery days from them.

use super::catalog::*;
use super::ids::Ids;
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Days since 1970-01-01 of a calendar date.
pub(crate) fn day_number(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

/// Calendar date of a day number.
pub(crate) fn day_date(n: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(n as i64)
}

/// Day number, in `tz`, of a unix timestamp.
pub(crate) fn local_day(tz: Tz, unix: i64) -> i32 {
    let utc = chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default();
    day_number(utc.with_timezone(&tz).date_naive())
}

/// Unix time of `secs` seconds after local midnight of day `day` in `tz`.
pub(crate) fn local_time(tz: Tz, day: i32, secs: u32) -> i64 {
    let naive = day_date(day).and_hms_opt(secs / 3600 % 24, secs / 60 % 60, secs % 60).expect("hms");
    match tz.from_local_datetime(&naive).earliest() {
        Some(t) => t.timestamp(),
        // A DST gap: an hour later always exists.
        None => tz
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map_or(0, |t| t.timestamp()),
    }
}

/// A business manager.
#[derive(Debug, Clone)]
pub(crate) struct Business {
    /// Creation time, unix seconds.
    pub created: i64,
}

/// An ad account.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub business: u32,
    /// A second business this account is shared with as a client account.
    pub client_of: Option<u32>,
    pub currency: u8,
    pub tz: Tz,
    pub status: u16,
    pub disable_reason: u8,
    pub created: i64,
    /// Lifetime `amount_spent`, minor units (generated, not the sum of served insights).
    pub amount_spent: u64,
    pub campaigns: (u32, u32),
    /// First day of insights history (account tz); nothing is served before it.
    pub hist_start: i32,
    /// Restated day ranges: each one bumps the restatement epoch of the days it covers.
    pub restated: Vec<(i32, i32)>,
}

/// A campaign.
#[derive(Debug, Clone)]
pub(crate) struct Campaign {
    pub account: u32,
    pub objective: u8,
    pub configured: u8,
    /// Effective status when nothing above overrides it.
    pub own: u8,
    /// Index into `BID_STRATEGIES`; meaningful only with a campaign budget (CBO).
    pub bid_strategy: u8,
    /// Minor units; 0 = absent. A campaign budget means CBO.
    pub daily_budget: u64,
    pub lifetime_budget: u64,
    pub created: i64,
    pub updated: i64,
    pub start: i64,
    /// 0 = no stop time.
    pub stop: i64,
    pub adsets: (u32, u32),
}

impl Campaign {
    /// Campaign budget optimisation: the budget lives on the campaign.
    pub(crate) fn cbo(&self) -> bool {
        self.daily_budget > 0 || self.lifetime_budget > 0
    }
}

/// An ad set.
#[derive(Debug, Clone)]
pub(crate) struct AdSet {
    pub campaign: u32,
    pub configured: u8,
    pub own: u8,
    /// Index into `OPTIMIZATION`.
    pub optimization: u8,
    pub bid_strategy: u8,
    pub daily_budget: u64,
    pub lifetime_budget: u64,
    /// Minor units; 0 = absent.
    pub bid_amount: u64,
    pub created: i64,
    pub updated: i64,
    pub start: i64,
    /// 0 = no end time.
    pub end: i64,
    pub country: u8,
    pub age_min: u8,
    pub age_max: u8,
    pub ads: (u32, u32),
}

/// Per-ad delivery profile: insights are drawn around these values day by day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub base_impressions: f32,
    pub ctr: f32,
    /// Cost per 1,000 impressions in minor units of the account currency.
    pub cpm_minor: f32,
    /// Purchases per link click.
    pub cvr: f32,
    /// Average order value in minor units.
    pub aov_minor: f32,
    pub reach_ratio: f32,
}

/// An ad (and, at the same index, its creative).
#[derive(Debug, Clone)]
pub(crate) struct Ad {
    pub adset: u32,
    pub configured: u8,
    pub own: u8,
    pub created: i64,
    pub updated: i64,
    /// First and last day (account tz) the ad may deliver; empty when `first > last`.
    pub first_day: i32,
    pub last_day: i32,
    pub profile: Profile,
}

/// The whole generated world.
#[derive(Debug)]
pub(crate) struct World {
    pub seed: u64,
    pub ids: Ids,
    pub businesses: Vec<Business>,
    pub accounts: Vec<Account>,
    pub campaigns: Vec<Campaign>,
    pub adsets: Vec<AdSet>,
    pub ads: Vec<Ad>,
    /// Day ranges in which an object (campaign, ad set or ad id) did not deliver, from
    /// mutations (pause → activate). Checked only when non-empty.
    pub gaps: HashMap<u64, Vec<(i32, i32)>>,
}

/// Effective status of a child given its own configured/effective status and its parent's
/// effective status: deletion and archiving cascade, a paused parent shows as
/// `CAMPAIGN_PAUSED` / `ADSET_PAUSED` on children that are themselves active.
fn derive(configured: u8, own: u8, parent: u8, paused_name: u8) -> u8 {
    match (configured, parent) {
        (DELETED, _) => DELETED,
        (_, DELETED) => DELETED,
        (_, ARCHIVED) => ARCHIVED,
        (ARCHIVED, _) => ARCHIVED,
        (PAUSED, _) => PAUSED,
        (_, PAUSED | CAMPAIGN_PAUSED | ADSET_PAUSED) => {
            if parent == ADSET_PAUSED || (paused_name == ADSET_PAUSED && parent == PAUSED) {
                ADSET_PAUSED
            } else {
                CAMPAIGN_PAUSED
            }
        }
        _ => own,
    }
}

impl World {
    /// Effective status of campaign `c`.
    pub(crate) fn campaign_status(&self, c: usize) -> u8 {
        self.campaigns[c].own
    }

    /// Effective status of ad set `s`.
    pub(crate) fn adset_status(&self, s: usize) -> u8 {
        let a = &self.adsets[s];
        derive(a.configured, a.own, self.campaign_status(a.campaign as usize), CAMPAIGN_PAUSED)
    }

    /// Effective status of ad `d`.
    pub(crate) fn ad_status(&self, d: usize) -> u8 {
        let ad = &self.ads[d];
        let set = ad.adset as usize;
        let parent = self.adset_status(set);
        // An ad under a paused ad set whose campaign runs shows ADSET_PAUSED.
        let parent = if parent == PAUSED { ADSET_PAUSED } else { parent };
        derive(ad.configured, ad.own, parent, ADSET_PAUSED)
    }

    /// Campaign index of ad set `s`.
    pub(crate) fn adset_campaign(&self, s: usize) -> usize {
        self.adsets[s].campaign as usize
    }

    /// Account index of campaign `c`.
    pub(crate) fn campaign_account(&self, c: usize) -> usize {
        self.campaigns[c].account as usize
    }

    /// Ad set index of ad `d`.
    pub(crate) fn ad_adset(&self, d: usize) -> usize {
        self.ads[d].adset as usize
    }

    /// Campaign index of ad `d`.
    pub(crate) fn ad_campaign(&self, d: usize) -> usize {
        self.adset_campaign(self.ad_adset(d))
    }

    /// Account index of ad `d`.
    pub(crate) fn ad_account(&self, d: usize) -> usize {
        self.campaign_account(self.ad_campaign(d))
    }

    /// Range of ad indices of account `a` (campaigns, ad sets and ads are stored in order).
    pub(crate) fn account_ads(&self, a: usize) -> (usize, usize) {
        let (c0, c1) = self.accounts[a].campaigns;
        if c0 == c1 {
            return (0, 0);
        }
        let s0 = self.campaigns[c0 as usize].adsets.0 as usize;
        let s1 = self.campaigns[c1 as usize - 1].adsets.1 as usize;
        let first = if s0 < s1 { self.adsets[s0].ads.0 as usize } else { 0 };
        let last = if s0 < s1 { self.adsets[s1 - 1].ads.1 as usize } else { 0 };
        (first, last)
    }

    /// Range of ad set indices of account `a`.
    pub(crate) fn account_adsets(&self, a: usize) -> (usize, usize) {
        let (c0, c1) = self.accounts[a].campaigns;
        if c0 == c1 {
            return (0, 0);
        }
        (self.campaigns[c0 as usize].adsets.0 as usize, self.campaigns[c1 as usize - 1].adsets.1 as usize)
    }

    /// Range of ad indices of campaign `c`.
    pub(crate) fn campaign_ads(&self, c: usize) -> (usize, usize) {
        let (s0, s1) = self.campaigns[c].adsets;
        if s0 == s1 {
            return (0, 0);
        }
        (self.adsets[s0 as usize].ads.0 as usize, self.adsets[s1 as usize - 1].ads.1 as usize)
    }

    /// Currency code and minor-unit offset of account `a`.
    pub(crate) fn currency(&self, a: usize) -> (&'static str, u64) {
        let code = CURRENCIES[self.accounts[a].currency as usize].0;
        (code, currency_offset(code))
    }

    /// Restatement epoch of a day of account `a`: how many restatements covered it.
    pub(crate) fn epoch(&self, a: usize, day: i32) -> u64 {
        self.accounts[a].restated.iter().filter(|(from, to)| *from <= day && day <= *to).count() as u64
    }

    /// Whether object `id` was switched off on `day` by a mutation.
    pub(crate) fn in_gap(&self, id: u64, day: i32) -> bool {
        self.gaps.get(&id).is_some_and(|g| g.iter().any(|(from, to)| *from <= day && day <= *to))
    }

    /// Whether ad `d` may deliver on `day` (its window, minus mutation gaps up the tree).
    pub(crate) fn ad_delivers(&self, d: usize, day: i32) -> bool {
        let ad = &self.ads[d];
        if day < ad.first_day || day > ad.last_day {
            return false;
        }
        if self.gaps.is_empty() {
            return true;
        }
        let s = self.ad_adset(d);
        let c = self.adset_campaign(s);
        use super::ids::Kind;
        !(self.in_gap(self.ids.id(Kind::Ad, d), day)
            || self.in_gap(self.ids.id(Kind::AdSet, s), day)
            || self.in_gap(self.ids.id(Kind::Campaign, c), day))
    }
}
