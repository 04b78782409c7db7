//! Pure mapping from Graph API payloads to warehouse rows (`crate::model`).
//!
//! No I/O: each function takes one payload object as a `serde_json::Value` plus a
//! [`MapContext`] and returns a row or a [`MappingError`] that names the object kind, its id and
//! the field. Bad input never panics. The `*_FIELDS` constants are the `fields=` lists the sync
//! engine requests, exactly the fields mapping reads.
//!
//! # Mapping choices
//!
//! These implement the "Shared semantic choices" of the component contract; the simulator's
//! ground truth implements the same rules independently.
//!
//! * **Reading payloads** — unknown fields are ignored (Meta adds fields); absent and `null`
//!   are the same; numbers Meta sends as strings are also accepted as JSON numbers; a value of
//!   the wrong type or an unparsable number is an error, never a silent `None` or `0`.
//! * **Status** — `status` comes from `effective_status` via [`platform_status`] (table in
//!   `status.rs`); the raw `effective_status` is kept. `configured_status` is read from
//!   `configured_status`, falling back to `status`. Ad account `account_status` is named by
//!   [`account_status_name`]; the numeric code is kept too.
//! * **Objective** — [`objective_type`] maps ODAX and legacy objectives to awareness,
//!   consideration or conversion; other values to `other`; no objective to `None`.
//! * **Money** — budgets, `bid_amount` and `amount_spent` are minor units divided by the
//!   account currency's offset ([`currency_offset`]: 1 for CLP COP CRC HUF ISK IDR JPY KRW PYG
//!   TWD VND, else 100), exactly ([`minor_to_major`]). Absent → `None`; `"0"` → `Some(0)`.
//!   Insights `spend`, `cpm`, `cpc`, `ctr`, `frequency` and action values are already in major
//!   units and are parsed without rounding.
//! * **Time** — entity timestamps (`2026-09-03T10:00:00-0700`, also `+0000` and the `" 0000"`
//!   form of a URL-decoded `+`) are stored in UTC. Insights days stay the `date_start` Meta
//!   reports in the account's time zone; a row whose `date_stop` differs from `date_start` is
//!   rejected, since rows must come from a `time_increment=1` request.
//! * **Ids** — `account_id` never carries `act_`; when a payload omits `account_id`, the
//!   context's account is used. Ad account `business_id` is `business.id`; ad `creative_id` is
//!   `creative.id`; ad set `targeting` is the JSON object as received.
//! * **Insights ids per level** — account: `object_id` = account id, no campaign/ad set/ad
//!   ids; campaign: `object_id` = `campaign_id`; adset: `object_id` = `ad_set_id`, with
//!   `campaign_id`; ad: `object_id` = `ad_id`, with all three. Ids below the level are ignored
//!   even when present; ids at or above it are required.
//! * **Insights metrics** — `impressions`, `clicks`, `inline_link_clicks` and `spend` absent → 0
//!   (Meta omits fields without data); `reach`, `cpm`, `cpc`, `ctr`, `frequency` absent → `None`.
//! * **Conversions** — `conversions` is the sum of `value` over `actions` entries whose
//!   `action_type` is one of the configured types (default `["omni_purchase"]`),
//!   `conversion_value` the same over `action_values`, `roas` the same over `purchase_roas` (the
//!   summed per-type ROAS is the ROAS of the summed value, because spend is shared). `None`
//!   when the array is absent or no entry matches. Configure types that do not overlap
//!   (`omni_purchase` already includes `purchase`), or conversions are counted twice. The raw
//!   `actions`, `action_values` and `purchase_roas` arrays are kept as received, `None` when
//!   absent.

mod accounts;
mod context;
mod entities;
mod error;
mod insights;
mod money;
mod objective;
mod status;
mod time;
mod wire;

pub use accounts::{AD_ACCOUNT_FIELDS, map_ad_account};
pub use context::MapContext;
pub use entities::{
    AD_CREATIVE_FIELDS, AD_FIELDS, AD_SET_FIELDS, CAMPAIGN_FIELDS, map_ad, map_ad_creative, map_ad_set,
    map_campaign,
};
pub use error::{MappingError, ValueError};
pub use insights::{INSIGHTS_FIELDS, map_insight};
pub use money::{currency_offset, minor_to_major, parse_decimal};
pub use objective::objective_type;
pub use status::{account_status_name, platform_status};
pub use time::{parse_date, parse_timestamp};
