//! Stream names: one cursor row per ad account and stream in `sync_cursors`.

use crate::model::InsightLevel;

/// The ad account's own fields; its row also holds the account's lease.
pub const ACCOUNT: &str = "account";
/// Campaigns, incremental by `updated_time`.
pub const CAMPAIGNS: &str = "campaigns";
/// Ad sets, incremental by `updated_time`.
pub const AD_SETS: &str = "ad_sets";
/// Ads, incremental by `updated_time`.
pub const ADS: &str = "ads";
/// Creatives: no `updated_time` on Meta's side (facts §6.5), so refreshed in full.
pub const AD_CREATIVES: &str = "ad_creatives";

/// The insights stream of a level: `insights_campaign`, `insights_adset`, ...
pub fn insights(level: InsightLevel) -> String {
    format!("insights_{}", level.as_str())
}
