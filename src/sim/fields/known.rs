//! Which names each node type has: Meta's own lists, generated from the Business SDK's
//! `Field` classes (and the insights enums) by `scripts/sim-fields/generate.py` into the
//! `*.txt` files beside this one, minus the documented exceptions of `exceptions.txt`
//! (docs/graph-api.md §6, §9). A new API version is one regeneration.

use std::sync::OnceLock;

/// A generated name list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    /// `AdAccount.Field`.
    AdAccount,
    /// `Campaign.Field`.
    Campaign,
    /// `AdSet.Field`.
    AdSet,
    /// `Ad.Field`.
    Ad,
    /// `AdCreative.Field`.
    AdCreative,
    /// `AdsInsights.Field`.
    AdsInsights,
    /// `Business.Field`.
    Business,
    /// `AdReportRun.Field`.
    AdReportRun,
    /// `BusinessUser.Field`.
    BusinessUser,
    /// `AssignedUser.Field`.
    AssignedUser,
    /// `AdsInsights.ActionAttributionWindows`.
    AttributionWindows,
    /// `AdsInsights.ActionBreakdowns`.
    ActionBreakdowns,
    /// `AdsInsights.Breakdowns`.
    Breakdowns,
    /// `AdsInsights.DatePreset`.
    DatePresets,
}

const ALL: [(List, &str, &str); 14] = [
    (List::AdAccount, "ad_account.txt", include_str!("ad_account.txt")),
    (List::Campaign, "campaign.txt", include_str!("campaign.txt")),
    (List::AdSet, "ad_set.txt", include_str!("ad_set.txt")),
    (List::Ad, "ad.txt", include_str!("ad.txt")),
    (List::AdCreative, "ad_creative.txt", include_str!("ad_creative.txt")),
    (List::AdsInsights, "ads_insights.txt", include_str!("ads_insights.txt")),
    (List::Business, "business.txt", include_str!("business.txt")),
    (List::AdReportRun, "ad_report_run.txt", include_str!("ad_report_run.txt")),
    (List::BusinessUser, "business_user.txt", include_str!("business_user.txt")),
    (List::AssignedUser, "assigned_user.txt", include_str!("assigned_user.txt")),
    (
        List::AttributionWindows,
        "action_attribution_windows.txt",
        include_str!("action_attribution_windows.txt"),
    ),
    (List::ActionBreakdowns, "action_breakdowns.txt", include_str!("action_breakdowns.txt")),
    (List::Breakdowns, "breakdowns.txt", include_str!("breakdowns.txt")),
    (List::DatePresets, "date_preset.txt", include_str!("date_preset.txt")),
];

const EXCEPTIONS: &str = include_str!("exceptions.txt");

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn file_of(list: List) -> (usize, &'static str, &'static str) {
    let i = ALL.iter().position(|(l, _, _)| *l == list).unwrap_or(0);
    (i, ALL[i].1, ALL[i].2)
}

fn refused(file: &str) -> impl Iterator<Item = &'static str> {
    lines(EXCEPTIONS)
        .filter_map(|l| l.split_once(char::is_whitespace))
        .filter(move |(f, _)| *f == file)
        .map(|(_, name)| name.trim())
}

fn load(file: &str, text: &'static str) -> Vec<&'static str> {
    let refused: Vec<&str> = refused(file).collect();
    lines(text).filter(|n| !refused.contains(n)).collect()
}

/// Whether `name` is in the SDK's list but refused by Meta all the same (`exceptions.txt`).
pub(crate) fn is_exception(list: List, name: &str) -> bool {
    refused(file_of(list).1).any(|n| n == name)
}

/// The names of `list`, in the SDK's order.
pub(crate) fn names(list: List) -> &'static [&'static str] {
    static CACHE: [OnceLock<Vec<&'static str>>; 14] = [const { OnceLock::new() }; 14];
    let (i, file, text) = file_of(list);
    CACHE[i].get_or_init(|| load(file, text))
}

/// Whether `list` has `name`.
pub(crate) fn has(list: List, name: &str) -> bool {
    names(list).contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_come_from_the_sdk_minus_exceptions() {
        for name in ["bid_amount", "targeting", "promoted_object", "end_time"] {
            assert!(has(List::AdSet, name), "{name}");
        }
        assert!(has(List::Ad, "bid_amount"));
        assert!(has(List::AdCreative, "object_story_spec"));
        assert!(!has(List::Campaign, "object_story_spec"));
        assert!(!has(List::Campaign, "image_hash"));
        assert!(has(List::AdsInsights, "inline_link_clicks"));
        assert!(!has(List::AdsInsights, "conversion_lead_rate"));
        assert!(!has(List::AdsInsights, "adset_start"));
        assert!(is_exception(List::AdsInsights, "adset_start"));
        assert!(!is_exception(List::AdsInsights, "spend"));
        assert!(has(List::AttributionWindows, "28d_click"));
        assert!(names(List::AdsInsights).len() > 200);
    }
}
