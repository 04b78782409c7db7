//! The context every mapping function receives besides the payload.

use chrono::{DateTime, Utc};

/// What mapping needs to know besides the payload: the ad account being synced and the config.
#[derive(Debug, Clone, Copy)]
pub struct MapContext<'a> {
    /// Bare numeric id of the ad account (no `act_`); used when a payload omits `account_id`.
    pub account_id: &'a str,
    /// The account's ISO 4217 currency; decides the minor-unit offset of budgets and bids.
    pub currency: &'a str,
    /// Action types summed into conversions, conversion value and ROAS (config
    /// `sync.conversion_action_types`, default `["omni_purchase"]`).
    pub conversion_action_types: &'a [String],
    /// Stamped on every row as `synced_at`.
    pub synced_at: DateTime<Utc>,
}
