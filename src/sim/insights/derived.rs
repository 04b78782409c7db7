//! Derived insights metrics (`cpm`, `cpc`, `ctr`, `frequency`) and the action arrays, computed
//! from an ad-day's counts and formatted as Meta sends them. Rows, sorting and the ground truth
//! all use these, so they agree to the digit.

use super::metrics::{Counts, money, ratio};

/// `cpm` in major units.
pub(crate) fn cpm(c: &Counts, offset: u64) -> String {
    ratio(c.spend as u128 * 1000, offset as u128 * c.impressions as u128)
}

/// `cpc`, `None` without clicks.
pub(crate) fn cpc(c: &Counts, offset: u64) -> Option<String> {
    (c.clicks > 0).then(|| ratio(c.spend as u128, offset as u128 * c.clicks as u128))
}

/// `ctr` in percent.
pub(crate) fn ctr(c: &Counts) -> String {
    ratio(c.clicks as u128 * 100, c.impressions as u128)
}

/// `frequency`.
pub(crate) fn frequency(c: &Counts, reach: u64) -> String {
    ratio(c.impressions as u128, reach.max(1) as u128)
}

/// `(action_type, count)` entries of `actions`, zero counts left out.
pub(crate) fn actions(c: &Counts) -> Vec<(&'static str, u64)> {
    [
        ("link_click", c.link_click),
        ("landing_page_view", c.landing_page_view),
        ("add_to_cart", c.add_to_cart),
        ("offsite_conversion.fb_pixel_purchase", c.purchase),
        ("purchase", c.purchase),
        ("omni_purchase", c.omni_purchase),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .collect()
}

/// `(action_type, value)` entries of `action_values` in major units.
pub(crate) fn action_values(c: &Counts, offset: u64) -> Vec<(&'static str, String)> {
    [
        ("offsite_conversion.fb_pixel_purchase", c.purchase_value),
        ("purchase", c.purchase_value),
        ("omni_purchase", c.omni_purchase_value),
    ]
    .into_iter()
    .filter(|(_, v)| *v > 0)
    .map(|(t, v)| (t, money(v, offset)))
    .collect()
}

/// `purchase_roas` entries (value / spend, same currency so the offset cancels).
pub(crate) fn roas(c: &Counts) -> Vec<(&'static str, String)> {
    if c.spend == 0 || c.omni_purchase_value == 0 {
        return Vec::new();
    }
    vec![("omni_purchase", ratio(c.omni_purchase_value as u128, c.spend as u128))]
}
