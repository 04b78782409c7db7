//! Plans an insights query over a node and walks its rows lazily: rows are computed from the
//! ad-days of the objects in scope, in (object, bucket) order, and only for days with
//! activity. Nothing is precomputed, so any size of world can be served.

use super::dates::{buckets, resolve};
use super::metrics::{Counts, ad_day};
use super::query::InsightsQuery;
use super::sort::Sort;
use super::windows::Window;
use crate::model::InsightLevel;
use crate::sim::catalog::{ARCHIVED, DELETED};
use crate::sim::errors::ApiError;
use crate::sim::filtering::{Filter, ancestor};
use crate::sim::ids::Kind;
use crate::sim::world::World;

/// A resolved query: which objects, which day buckets, which ads count.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub account: usize,
    pub level: InsightLevel,
    /// Index range of the row objects at `level`.
    pub lo: usize,
    pub hi: usize,
    pub buckets: Vec<(i32, i32)>,
    /// Days with data: `[first, last]` (history start to today).
    pub data_days: (i32, i32),
    /// Filters on entities (metric filters dropped).
    pub filters: Vec<Filter>,
    /// A filter names the row level's `effective_status`: then nothing is hidden by default.
    pub status_filtered: bool,
    pub fields: Vec<String>,
    /// Attribution windows added to action stats.
    pub windows: Vec<Window>,
    /// `action_breakdowns` keys added to action stats besides `action_type`.
    pub action_keys: Vec<&'static str>,
    /// Row order; `None` = (object, bucket) order.
    pub sort: Option<Sort>,
    /// Fields of the `summary` object; empty = none.
    pub summary: Vec<String>,
}

/// Kind of the objects of a level.
pub(crate) fn level_kind(level: InsightLevel) -> Kind {
    match level {
        InsightLevel::Account => Kind::Account,
        InsightLevel::Campaign => Kind::Campaign,
        InsightLevel::AdSet => Kind::AdSet,
        InsightLevel::Ad => Kind::Ad,
    }
}

fn node_level(kind: Kind) -> Option<InsightLevel> {
    Some(match kind {
        Kind::Account => InsightLevel::Account,
        Kind::Campaign => InsightLevel::Campaign,
        Kind::AdSet => InsightLevel::AdSet,
        Kind::Ad => InsightLevel::Ad,
        _ => return None,
    })
}

/// Object range at `level` under node (`kind`, `idx`).
fn scope(w: &World, kind: Kind, idx: usize, level: InsightLevel) -> (usize, usize) {
    let one = (idx, idx + 1);
    match (level, kind) {
        (InsightLevel::Account, _) => one,
        (InsightLevel::Campaign, Kind::Account) => {
            let (a, b) = w.accounts[idx].campaigns;
            (a as usize, b as usize)
        }
        (InsightLevel::Campaign, _) => one,
        (InsightLevel::AdSet, Kind::Account) => w.account_adsets(idx),
        (InsightLevel::AdSet, Kind::Campaign) => {
            let (a, b) = w.campaigns[idx].adsets;
            (a as usize, b as usize)
        }
        (InsightLevel::AdSet, _) => one,
        (InsightLevel::Ad, Kind::Account) => w.account_ads(idx),
        (InsightLevel::Ad, Kind::Campaign) => w.campaign_ads(idx),
        (InsightLevel::Ad, Kind::AdSet) => {
            let (a, b) = w.adsets[idx].ads;
            (a as usize, b as usize)
        }
        (InsightLevel::Ad, _) => one,
    }
}

/// Plans `q` on node (`kind`, `idx`) given the account's `today`.
pub(crate) fn plan(
    w: &World,
    kind: Kind,
    idx: usize,
    q: &InsightsQuery,
    today: i32,
) -> Result<Plan, ApiError> {
    let node = node_level(kind).ok_or_else(|| ApiError::unknown_path("insights"))?;
    let level = q.level.unwrap_or(node);
    if level < node {
        return Err(ApiError::invalid(&format!("level {level} is above the object queried")));
    }
    let account = ancestor(w, kind, idx, Kind::Account).unwrap_or(0);
    let hist_start = w.accounts[account].hist_start;
    // `time_ranges` gives one bucket per range, in request order (docs/graph-api.md §5.2).
    let ranges: Vec<(i32, i32)> = q
        .ranges
        .iter()
        .map(|(s, u)| (crate::sim::world::day_number(*s), crate::sim::world::day_number(*u)))
        .collect();
    let (since, until) = match ranges.iter().map(|r| r.0).min() {
        Some(first) => (first, ranges.iter().map(|r| r.1).max().unwrap_or(first)),
        None => resolve(&q.dates, today, hist_start)?,
    };
    let oldest = crate::sim::world::day_number(crate::sim::world::day_date(today) - chrono::Months::new(37));
    if since < oldest {
        return Err(ApiError::new(
            3018,
            "(#3018) The start date of the time range cannot be beyond 37 months from the current date",
        ));
    }
    let mut filters = Vec::new();
    for f in &q.filters {
        if f.is_metric() {
            continue;
        }
        let mut f = f.clone();
        if f.entity.is_none() {
            // An unprefixed entity field applies to the row level.
            if level == InsightLevel::Account {
                return Err(ApiError::invalid(&format!("Filtering field '{}' is invalid", f.field)));
            }
            f.entity = Some(level_kind(level));
        }
        f.validate(Kind::Ad, true)?;
        filters.push(f);
    }
    // Only a filter on the row level's own status lifts the default hiding (docs/graph-api.md §6.6:
    // insights of deleted ads need `ad.effective_status` at `level=ad`).
    let status_filtered = filters.iter().any(|f| f.is_status_of(level_kind(level)));
    let (lo, hi) = scope(w, kind, idx, level);
    Ok(Plan {
        account,
        level,
        lo,
        hi,
        buckets: if ranges.is_empty() { buckets(q.increment, since, until) } else { ranges },
        data_days: (hist_start, today),
        filters,
        status_filtered,
        fields: q.fields.clone(),
        windows: q.windows.clone(),
        action_keys: q.action_keys.clone(),
        sort: q.sort.clone(),
        summary: q.summary.clone(),
    })
}

impl Plan {
    /// Upper bound of the rows of this query (objects × buckets), for the data-size limits.
    pub(crate) fn estimated_rows(&self) -> u64 {
        (self.hi - self.lo) as u64 * self.buckets.len() as u64
    }

    /// Whether a row of object `o` is shown: ARCHIVED and DELETED objects are hidden unless
    /// the query filters on `<level>.effective_status` (docs/graph-api.md §6.6).
    fn visible(&self, w: &World, o: usize) -> bool {
        if self.status_filtered {
            return true;
        }
        let status = match self.level {
            InsightLevel::Account => return true,
            InsightLevel::Campaign => w.campaign_status(o),
            InsightLevel::AdSet => w.adset_status(o),
            InsightLevel::Ad => w.ad_status(o),
        };
        status != ARCHIVED && status != DELETED
    }

    fn ads_of(&self, w: &World, o: usize, out: &mut Vec<usize>) {
        out.clear();
        let (a, b) = scope(w, level_kind(self.level), o, InsightLevel::Ad);
        out.extend((a..b).filter(|&d| self.filters.iter().all(|f| f.matches(w, Kind::Ad, d))));
    }

    /// Counts of object `o` over bucket `b`, from its contributing ads.
    fn counts(&self, w: &World, ads: &[usize], b: usize) -> Counts {
        let (s, e) = self.buckets[b];
        let mut c = Counts::default();
        let windows = !self.windows.is_empty();
        for day in s.max(self.data_days.0)..=e.min(self.data_days.1) {
            let epoch = w.epoch(self.account, day);
            for &d in ads {
                if let Some(x) = ad_day(w, d, day, epoch, windows) {
                    c.add(&x);
                }
            }
        }
        c
    }

    /// Visits rows from position (`o`, `b`) on; `visit` returns `false` to stop. Returns the
    /// position where it stopped (the row refused), or `None` at the end.
    pub(crate) fn walk(
        &self,
        w: &World,
        start: (usize, usize),
        mut visit: impl FnMut(usize, usize, &Counts) -> bool,
    ) -> Option<(usize, usize)> {
        let mut ads = Vec::new();
        for o in start.0.max(self.lo)..self.hi {
            if !self.visible(w, o) {
                continue;
            }
            self.ads_of(w, o, &mut ads);
            if ads.is_empty() {
                continue;
            }
            let first = if o == start.0 { start.1 } else { 0 };
            for b in first..self.buckets.len() {
                let c = self.counts(w, &ads, b);
                if c.impressions == 0 {
                    continue;
                }
                if !visit(o, b, &c) {
                    return Some((o, b));
                }
            }
        }
        None
    }
}
