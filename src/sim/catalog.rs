//! Fixed vocabularies of the Marketing API (docs/graph-api.md §6) and the shared semantic mappings of
//! contracts.md (status, objective type, account status names, currency offsets).

/// Currencies the generator assigns: (ISO code, minor-unit offset, units per USD).
/// Offsets follow Meta's currency table: 1 for zero-decimal currencies such as JPY.
pub(crate) const CURRENCIES: [(&str, u64, f64); 10] = [
    ("USD", 100, 1.0),
    ("EUR", 100, 0.92),
    ("JPY", 1, 150.0),
    ("GBP", 100, 0.79),
    ("BRL", 100, 5.0),
    ("KRW", 1, 1350.0),
    ("INR", 100, 83.0),
    ("CLP", 1, 930.0),
    ("AUD", 100, 1.5),
    ("CAD", 100, 1.36),
];

/// IANA time zones the generator assigns (Asia/Kolkata has a half-hour offset on purpose).
pub(crate) const TIMEZONES: [&str; 9] = [
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Tokyo",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Pacific/Auckland",
];

/// Minor-unit offset of a currency (contracts.md "Money").
pub(crate) fn currency_offset(code: &str) -> u64 {
    const ZERO_DECIMAL: [&str; 11] =
        ["CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"];
    if ZERO_DECIMAL.contains(&code) { 1 } else { 100 }
}

/// Effective statuses, in a fixed order; entities store the index.
pub(crate) const EFFECTIVE: [&str; 12] = [
    "ACTIVE",
    "PAUSED",
    "DELETED",
    "ARCHIVED",
    "IN_PROCESS",
    "WITH_ISSUES",
    "CAMPAIGN_PAUSED",
    "ADSET_PAUSED",
    "PENDING_REVIEW",
    "DISAPPROVED",
    "PREAPPROVED",
    "PENDING_BILLING_INFO",
];
/// `ACTIVE`
pub(crate) const ACTIVE: u8 = 0;
/// `PAUSED`
pub(crate) const PAUSED: u8 = 1;
/// `DELETED`
pub(crate) const DELETED: u8 = 2;
/// `ARCHIVED`
pub(crate) const ARCHIVED: u8 = 3;
/// `IN_PROCESS`
pub(crate) const IN_PROCESS: u8 = 4;
/// `WITH_ISSUES`
pub(crate) const WITH_ISSUES: u8 = 5;
/// `CAMPAIGN_PAUSED`
pub(crate) const CAMPAIGN_PAUSED: u8 = 6;
/// `ADSET_PAUSED`
pub(crate) const ADSET_PAUSED: u8 = 7;
/// `PENDING_REVIEW`
pub(crate) const PENDING_REVIEW: u8 = 8;
/// `DISAPPROVED`
pub(crate) const DISAPPROVED: u8 = 9;
/// `PREAPPROVED`
pub(crate) const PREAPPROVED: u8 = 10;
/// `PENDING_BILLING_INFO`
pub(crate) const PENDING_BILLING_INFO: u8 = 11;

/// Effective status index of a wire name.
pub(crate) fn effective_index(name: &str) -> Option<u8> {
    EFFECTIVE.iter().position(|s| *s == name).map(|i| i as u8)
}

/// Platform status of an effective status (contracts.md).
pub(crate) fn platform_status(effective: &str) -> &'static str {
    match effective {
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

/// Campaign objectives: ODAX first, then legacy values old campaigns still read with.
pub(crate) const OBJECTIVES: [&str; 21] = [
    "OUTCOME_SALES",
    "OUTCOME_TRAFFIC",
    "OUTCOME_AWARENESS",
    "OUTCOME_ENGAGEMENT",
    "OUTCOME_LEADS",
    "OUTCOME_APP_PROMOTION",
    "CONVERSIONS",
    "LINK_CLICKS",
    "BRAND_AWARENESS",
    "REACH",
    "POST_ENGAGEMENT",
    "VIDEO_VIEWS",
    "LEAD_GENERATION",
    "APP_INSTALLS",
    "PRODUCT_CATALOG_SALES",
    "PAGE_LIKES",
    "MESSAGES",
    "EVENT_RESPONSES",
    "STORE_VISITS",
    "LOCAL_AWARENESS",
    "OFFER_CLAIMS",
];

/// Objective type of an objective (contracts.md).
pub(crate) fn objective_type(objective: &str) -> &'static str {
    match objective {
        "OUTCOME_AWARENESS" | "BRAND_AWARENESS" | "REACH" | "LOCAL_AWARENESS" | "STORE_VISITS"
        | "VIDEO_VIEWS" => "awareness",
        "OUTCOME_TRAFFIC"
        | "OUTCOME_ENGAGEMENT"
        | "OUTCOME_APP_PROMOTION"
        | "LINK_CLICKS"
        | "POST_ENGAGEMENT"
        | "PAGE_LIKES"
        | "EVENT_RESPONSES"
        | "MESSAGES"
        | "APP_INSTALLS"
        | "OFFER_CLAIMS" => "consideration",
        "OUTCOME_LEADS" | "OUTCOME_SALES" | "CONVERSIONS" | "LEAD_GENERATION" | "PRODUCT_CATALOG_SALES" => {
            "conversion"
        }
        _ => "other",
    }
}

/// Account status codes the generator cycles through (docs/graph-api.md §6.1).
pub(crate) const ACCOUNT_STATUSES: [u16; 9] = [1, 1, 2, 1, 3, 9, 7, 8, 101];

/// Lower-case name of an `account_status` code (contracts.md).
pub(crate) fn account_status_name(code: u16) -> &'static str {
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

/// Campaign bid strategies (docs/graph-api.md §6.2).
pub(crate) const BID_STRATEGIES: [&str; 4] =
    ["LOWEST_COST_WITHOUT_CAP", "LOWEST_COST_WITH_BID_CAP", "COST_CAP", "LOWEST_COST_WITH_MIN_ROAS"];

/// (optimization_goal, billing_event) pairs that go together.
pub(crate) const OPTIMIZATION: [(&str, &str); 7] = [
    ("OFFSITE_CONVERSIONS", "IMPRESSIONS"),
    ("LINK_CLICKS", "LINK_CLICKS"),
    ("REACH", "IMPRESSIONS"),
    ("LANDING_PAGE_VIEWS", "IMPRESSIONS"),
    ("THRUPLAY", "THRUPLAY"),
    ("LEAD_GENERATION", "IMPRESSIONS"),
    ("VALUE", "IMPRESSIONS"),
];

/// Countries used in targeting specs.
pub(crate) const COUNTRIES: [&str; 8] = ["US", "DE", "JP", "GB", "BR", "FR", "IN", "AU"];

/// Creative call-to-action types.
pub(crate) const CTAS: [&str; 5] = ["SHOP_NOW", "LEARN_MORE", "SIGN_UP", "DOWNLOAD", "GET_OFFER"];

/// Creative object types.
pub(crate) const OBJECT_TYPES: [&str; 4] = ["SHARE", "VIDEO", "PHOTO", "STATUS"];

/// Words names are built from.
pub(crate) const WORDS: [&str; 16] = [
    "Spring",
    "Summer",
    "Autumn",
    "Winter",
    "Launch",
    "Retarget",
    "Prospecting",
    "Brand",
    "Promo",
    "Evergreen",
    "Holiday",
    "Flash",
    "Lookalike",
    "Catalog",
    "Video",
    "Lead",
];
