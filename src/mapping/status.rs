//! Status vocabularies: Meta's `effective_status` to the platform status, and the ad account's
//! numeric `account_status` to a name.
//!
//! Platform status (contracts "Shared semantic choices"; the spec table extended to every value
//! Meta documents in docs/graph-api.md §6.2–6.4):
//!
//! | `effective_status` | status |
//! |---|---|
//! | ACTIVE | active |
//! | PAUSED, CAMPAIGN_PAUSED, ADSET_PAUSED | paused — a parent's pause stops delivery the same way |
//! | DELETED | deleted |
//! | ARCHIVED | archived |
//! | WITH_ISSUES, PENDING_BILLING_INFO | degraded — set up but delivery is blocked by a problem |
//! | IN_PROCESS, PENDING_REVIEW, PREAPPROVED | pending — waiting on Meta |
//! | DISAPPROVED | rejected |
//! | anything else | unknown — Meta adds values; the raw value is kept in `effective_status` |
//!
//! `account_status` codes (docs/graph-api.md §6.1): 1 active, 2 disabled, 3 unsettled, 7
//! pending_risk_review, 8 pending_settlement, 9 in_grace_period, 100 pending_closure, 101
//! closed, 201 any_active, 202 any_closed, other codes unknown (the number is kept as well).

/// Platform status for a Meta `effective_status` (matched exactly; Meta sends upper case).
pub fn platform_status(effective_status: &str) -> &'static str {
    match effective_status {
        "ACTIVE" => "active",
        "PAUSED" | "CAMPAIGN_PAUSED" | "ADSET_PAUSED" => "paused",
        "DELETED" => "deleted",
        "ARCHIVED" => "archived",
        "WITH_ISSUES" | "PENDING_BILLING_INFO" => "degraded",
        "IN_PROCESS" | "PENDING_REVIEW" | "PREAPPROVED" => "pending",
        "DISAPPROVED" => "rejected",
        _ => "unknown",
    }
}

/// Lower-case name of an ad account's numeric `account_status`.
pub fn account_status_name(code: i64) -> &'static str {
    match code {
        1 => "active",
        2 => "disabled",
        3 => "unsettled",
        7 => "pending_risk_review",
        8 => "pending_settlement",
        9 => "in_grace_period",
        100 => "pending_closure",
        101 => "closed",
        201 => "any_active",
        202 => "any_closed",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_effective_status() {
        let cases = [
            ("ACTIVE", "active"),
            ("PAUSED", "paused"),
            ("CAMPAIGN_PAUSED", "paused"),
            ("ADSET_PAUSED", "paused"),
            ("DELETED", "deleted"),
            ("ARCHIVED", "archived"),
            ("WITH_ISSUES", "degraded"),
            ("PENDING_BILLING_INFO", "degraded"),
            ("IN_PROCESS", "pending"),
            ("PENDING_REVIEW", "pending"),
            ("PREAPPROVED", "pending"),
            ("DISAPPROVED", "rejected"),
            ("ADSET_DISABLED", "unknown"),
            ("active", "unknown"),
            ("", "unknown"),
        ];
        for (meta, want) in cases {
            assert_eq!(platform_status(meta), want, "{meta}");
        }
    }

    #[test]
    fn every_account_status_code() {
        let cases = [
            (1, "active"),
            (2, "disabled"),
            (3, "unsettled"),
            (7, "pending_risk_review"),
            (8, "pending_settlement"),
            (9, "in_grace_period"),
            (100, "pending_closure"),
            (101, "closed"),
            (201, "any_active"),
            (202, "any_closed"),
            (0, "unknown"),
            (4, "unknown"),
            (-1, "unknown"),
            (999, "unknown"),
        ];
        for (code, want) in cases {
            assert_eq!(account_status_name(code), want, "{code}");
        }
    }
}
