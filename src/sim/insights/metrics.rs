//! Daily delivery of one ad, drawn from a hash of (seed, ad, day, restatement epoch), and the
//! exact integer sums insights rows are built from. Money stays in minor units until it is
//! formatted, so every level adds up exactly.

use super::windows::Split;
use crate::sim::hash::{Stream, h3, mix};
use crate::sim::world::World;

/// Index in [`Counts::win`] of each action metric.
pub(crate) mod m {
    /// `link_click`.
    pub(crate) const LINK_CLICK: usize = 0;
    /// `landing_page_view`.
    pub(crate) const LANDING_PAGE_VIEW: usize = 1;
    /// `add_to_cart`.
    pub(crate) const ADD_TO_CART: usize = 2;
    /// `purchase` (and `offsite_conversion.fb_pixel_purchase`).
    pub(crate) const PURCHASE: usize = 3;
    /// `omni_purchase`.
    pub(crate) const OMNI_PURCHASE: usize = 4;
    /// Value of `purchase`.
    pub(crate) const PURCHASE_VALUE: usize = 5;
    /// Value of `omni_purchase`.
    pub(crate) const OMNI_PURCHASE_VALUE: usize = 6;
}

/// Additive counts of one or more ad-days. Reach is not additive: the counts keep the sum of
/// the ad-days' raw reach, and [`Counts::reach`] derives a row's reach from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub impressions: u64,
    pub clicks: u64,
    /// Minor units.
    pub spend: u64,
    pub link_click: u64,
    pub landing_page_view: u64,
    pub add_to_cart: u64,
    pub purchase: u64,
    pub omni_purchase: u64,
    /// Minor units.
    pub purchase_value: u64,
    /// Minor units.
    pub omni_purchase_value: u64,
    pub reach_sum: u64,
    /// Attribution-window splits of the action metrics, indexed by [`m`].
    pub win: [Split; 7],
}

impl Counts {
    /// Adds another ad-day (or aggregate of ad-days).
    pub(crate) fn add(&mut self, o: &Counts) {
        self.impressions += o.impressions;
        self.clicks += o.clicks;
        self.spend += o.spend;
        self.link_click += o.link_click;
        self.landing_page_view += o.landing_page_view;
        self.add_to_cart += o.add_to_cart;
        self.purchase += o.purchase;
        self.omni_purchase += o.omni_purchase;
        self.purchase_value += o.purchase_value;
        self.omni_purchase_value += o.omni_purchase_value;
        self.reach_sum += o.reach_sum;
        for (a, b) in self.win.iter_mut().zip(&o.win) {
            a.add(b);
        }
    }

    /// Reach of a row: a concave function of the summed raw reach (identity up to 2,000
    /// people, then growing as the 0.85th power), rounded up. Concavity makes it
    /// subadditive, so whatever the grouping (level or time buckets) a row's reach is at least
    /// that of any part and at most the sum of the parts — people overlap — and never above
    /// the impressions.
    pub(crate) fn reach(&self) -> u64 {
        const KNEE: f64 = 2_000.0;
        let x = self.reach_sum as f64;
        if x <= KNEE {
            return self.reach_sum;
        }
        let r = (KNEE * (x / KNEE).powf(0.85)).ceil() as u64;
        r.min(self.reach_sum)
    }
}

/// One ad on one day; `None` when it did not deliver (no row, as at Meta). The attribution
/// window splits are computed only when `windows` (a query asked for them).
pub(crate) fn ad_day(w: &World, d: usize, day: i32, epoch: u64, windows: bool) -> Option<Counts> {
    if !w.ad_delivers(d, day) {
        return None;
    }
    let p = &w.ads[d].profile;
    let mut s = Stream::new(h3(w.seed ^ 0xda7a, d as u64, (day as u32 as u64) | (epoch << 32)));
    if s.unit() < 0.06 {
        return None;
    }
    // 1970-01-01 was a Thursday: days 2 and 3 mod 7 are the weekend.
    let weekend = if matches!(day.rem_euclid(7), 2 | 3) { 1.2 } else { 1.0 };
    let impressions = (p.base_impressions as f64 * weekend * (0.55 + 0.9 * s.unit())).round() as u64;
    if impressions == 0 {
        return None;
    }
    let imp = impressions as f64;
    let clicks = (imp * p.ctr as f64 * (0.8 + 0.4 * s.unit())).round() as u64;
    let reach =
        ((imp * p.reach_ratio as f64 * (0.92 + 0.08 * s.unit())).round() as u64).clamp(1, impressions);
    let spend = (imp / 1000.0 * p.cpm_minor as f64 * (0.85 + 0.3 * s.unit())).round() as u64;
    let link_click = (clicks as f64 * (0.55 + 0.35 * s.unit())).round() as u64;
    let landing_page_view = (link_click as f64 * (0.5 + 0.35 * s.unit())).round() as u64;
    let add_to_cart = (landing_page_view as f64 * (0.04 + 0.16 * s.unit())).round() as u64;
    let expected = link_click as f64 * p.cvr as f64 * (0.5 + s.unit());
    let purchase = (expected + s.unit()).floor() as u64;
    let extra = u64::from(purchase > 0 && s.unit() < 0.3);
    let omni_purchase = purchase + extra;
    let purchase_value = (purchase as f64 * p.aov_minor as f64 * (0.7 + 0.6 * s.unit())).round() as u64;
    let omni_purchase_value = purchase_value + (extra as f64 * p.aov_minor as f64).round() as u64;
    let win = if windows {
        // A hash of its own, so the splits leave every other draw as it was.
        let h = h3(w.seed ^ 0x003d_1a77, d as u64, (day as u32 as u64) | (epoch << 32));
        let amounts = [
            link_click,
            landing_page_view,
            add_to_cart,
            purchase,
            omni_purchase,
            purchase_value,
            omni_purchase_value,
        ];
        std::array::from_fn(|i| Split::of(amounts[i], mix(h ^ i as u64)))
    } else {
        Default::default()
    };
    Some(Counts {
        win,
        impressions,
        clicks,
        spend,
        link_click,
        landing_page_view,
        add_to_cart,
        purchase,
        omni_purchase,
        purchase_value,
        omni_purchase_value,
        reach_sum: reach,
    })
}

/// Minor units as a decimal string in major units, trailing zeros trimmed ("5339.5").
pub(crate) fn money(minor: u64, offset: u64) -> String {
    if offset == 1 {
        return minor.to_string();
    }
    let (int, frac) = (minor / offset, minor % offset);
    if frac == 0 {
        return int.to_string();
    }
    let digits = if offset == 100 { format!("{frac:02}") } else { format!("{frac:03}") };
    format!("{int}.{}", digits.trim_end_matches('0'))
}

/// `num / den` rounded half-up to 6 decimals, trailing zeros trimmed.
pub(crate) fn ratio(num: u128, den: u128) -> String {
    let scaled = (num * 2_000_000 + den) / (2 * den);
    let (int, frac) = (scaled / 1_000_000, scaled % 1_000_000);
    if frac == 0 {
        return int.to_string();
    }
    let digits = format!("{frac:06}");
    format!("{int}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_ratio_format_like_meta() {
        assert_eq!(money(533_950, 100), "5339.5");
        assert_eq!(money(1200, 100), "12");
        assert_eq!(money(7, 100), "0.07");
        assert_eq!(money(5000, 1), "5000");
        assert_eq!(ratio(1, 3), "0.333333");
        assert_eq!(ratio(2, 3), "0.666667");
        assert_eq!(ratio(10, 5), "2");
    }

    #[test]
    fn reach_is_subadditive_and_monotone() {
        let c = |r| Counts { reach_sum: r, ..Counts::default() };
        for (a, b) in [(100, 50), (5_000, 7_000), (1_999, 2), (40_000, 3), (123_456, 654_321)] {
            let (ra, rb, rab) = (c(a).reach(), c(b).reach(), c(a + b).reach());
            assert!(rab <= ra + rb, "{a} {b}");
            assert!(rab >= ra.max(rb), "{a} {b}");
            assert!(rab <= a + b);
        }
    }
}
