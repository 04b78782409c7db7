//! Simulator configuration: world size, clock, app credentials, limits and fault knobs.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// Everything that shapes a simulated world and how it is served.
/// `Default::default()` is a small realistic world on the real clock.
#[derive(Clone)]
pub struct SimConfig {
    /// Seed of every generated value: same seed and sizes → same world.
    pub seed: u64,
    /// Businesses owning the ad accounts.
    pub businesses: usize,
    /// Ad accounts.
    pub accounts: usize,
    /// Campaigns per ad account.
    pub campaigns_per_account: usize,
    /// Ad sets per campaign.
    pub adsets_per_campaign: usize,
    /// Ads per ad set (each ad has its own creative).
    pub ads_per_adset: usize,
    /// Days of insights history ending "today" in each account's time zone.
    pub days: u32,
    /// Clock at start; `None` = the real clock. A fixed start still advances with elapsed time.
    pub now: Option<DateTime<Utc>>,
    /// Latest served version, e.g. `v25.0` (used in URLs and in the 2635 message).
    pub api_version: String,
    /// App id (OAuth `client_id`).
    pub app_id: String,
    /// App secret (OAuth `client_secret`, `appsecret_proof` key).
    pub app_secret: String,
    /// Reject calls without a valid `appsecret_proof` ("Require App Secret").
    pub require_appsecret_proof: bool,
    /// Call budgets and data-size limits.
    pub limits: SimLimits,
    /// Probability that a continuation page comes back empty yet with `next` (docs/graph-api.md §3).
    pub empty_page_rate: f64,
    /// Polls of a report run before it completes (`Job Not Started` → … → `Job Completed`).
    pub async_polls_to_complete: u32,
    /// Probability that an async report run ends in `Job Failed`.
    pub async_failure_rate: f64,
    /// Lifetime of tokens from the OAuth code exchange and `fb_exchange_token` (~60 days).
    pub user_token_ttl: Duration,
    /// Entries kept in the request log (oldest dropped first).
    pub request_log_limit: usize,
}

impl std::fmt::Debug for SimConfig {
    // The app secret stays out of Debug output, like every secret of the project.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConfig")
            .field("seed", &self.seed)
            .field("businesses", &self.businesses)
            .field("accounts", &self.accounts)
            .field("campaigns_per_account", &self.campaigns_per_account)
            .field("adsets_per_campaign", &self.adsets_per_campaign)
            .field("ads_per_adset", &self.ads_per_adset)
            .field("days", &self.days)
            .field("now", &self.now)
            .field("api_version", &self.api_version)
            .field("app_id", &self.app_id)
            .field("app_secret", &"[redacted]")
            .field("require_appsecret_proof", &self.require_appsecret_proof)
            .field("limits", &self.limits)
            .field("empty_page_rate", &self.empty_page_rate)
            .field("async_polls_to_complete", &self.async_polls_to_complete)
            .field("async_failure_rate", &self.async_failure_rate)
            .field("user_token_ttl", &self.user_token_ttl)
            .field("request_log_limit", &self.request_log_limit)
            .finish()
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            businesses: 2,
            accounts: 3,
            campaigns_per_account: 12,
            adsets_per_campaign: 2,
            ads_per_adset: 2,
            days: 90,
            now: None,
            api_version: "v25.0".to_string(),
            app_id: "1234567890123456".to_string(),
            app_secret: "sim-app-secret".to_string(),
            require_appsecret_proof: false,
            limits: SimLimits::default(),
            empty_page_rate: 0.02,
            async_polls_to_complete: 4,
            async_failure_rate: 0.0,
            user_token_ttl: Duration::from_secs(5_183_944),
            request_log_limit: 100_000,
        }
    }
}

/// The Marketing API access tier of the app (docs/graph-api.md §2.5). Meta renamed the tiers in
/// 2026; the header value `ads_api_access_tier` kept the old names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccessTier {
    /// "Standard Access", since 2026 "Limited Access": `300 + 40 × active ads` management and
    /// `600 + 400 × active ads` insights calls per hour; header `development_access`.
    #[default]
    Limited,
    /// "Advanced Access", since 2026 "Full Access": `100000 + 40 × active ads` and
    /// `190000 + 400 × active ads` per hour; header `standard_access`.
    Full,
}

impl AccessTier {
    /// The `ads_api_access_tier` value of the usage headers.
    pub fn header_value(self) -> &'static str {
        match self {
            Self::Limited => "development_access",
            Self::Full => "standard_access",
        }
    }

    /// Hourly ads_management budget of an ad account with `active_ads` active ads.
    pub fn management_per_hour(self, active_ads: u64) -> u64 {
        let base = match self {
            Self::Limited => 300,
            Self::Full => 100_000,
        };
        base + 40 * active_ads
    }

    /// Hourly ads_insights budget of an ad account with `active_ads` active ads.
    pub fn insights_per_hour(self, active_ads: u64) -> u64 {
        let base = match self {
            Self::Limited => 600,
            Self::Full => 190_000,
        };
        base + 400 * active_ads
    }
}

impl std::str::FromStr for AccessTier {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "limited" | "standard" | "development_access" => Ok(Self::Limited),
            "full" | "advanced" | "standard_access" => Ok(Self::Full),
            _ => Err(format!("unknown access tier {s:?} (limited or full)")),
        }
    }
}

/// Call budgets, as scores that decay continuously (docs/graph-api.md §2), and the data-per-call
/// limits of insights.
///
/// Each ad account has an ads_management score (every call on the account; a write costs 3
/// points, a read 1) and an ads_insights score (insights calls). A score's capacity is the
/// tier's hourly budget scaled to `window`, and it drains continuously at the hourly rate: a
/// full score is empty again after `window`, and sustained traffic gets exactly the hourly
/// budget. A call that does not fit is refused and not counted.
#[derive(Debug, Clone)]
pub struct SimLimits {
    /// Access tier whose formulas give the account budgets.
    pub tier: AccessTier,
    /// Time a full account score takes to decay to zero (Meta: 300 s).
    pub window: Duration,
    /// Points an account's management score holds, instead of the tier's
    /// `(base + 40 × active ads) × window / 1 h`; over → 80004.
    pub account_calls: Option<u32>,
    /// Insights calls an account's insights score holds, instead of the tier's
    /// `(base + 400 × active ads) × window / 1 h`; over → 80000.
    pub account_insights_calls: Option<u32>,
    /// Calls per app per hour, decaying over the hour (`x-app-usage`); over → 4.
    pub app_calls: u32,
    /// Calls per access token per hour, decaying over the hour; over → 17. `None` = no
    /// per-user budget.
    pub user_calls: Option<u32>,
    /// Calls per ad account per second; over → 613/1487742. `None` = no burst limit.
    pub account_calls_per_second: Option<u32>,
    /// Rows one insights page may hold (`limit`); over → HTTP 500 code 1 "Please reduce…".
    pub max_page_rows: u32,
    /// Rows × fields one insights page may hold; over → HTTP 500 code 1 "Please reduce…".
    pub max_page_cells: u64,
    /// Estimated rows × fields of a whole sync insights query; over → 100/1487534.
    pub max_query_cells: u64,
    /// Same for async report runs; over → the run ends in `Job Failed` with 100/1487534.
    pub max_async_query_cells: u64,
    /// Largest `limit` honoured on listings (larger values are silently capped).
    pub max_list_limit: u32,
}

impl Default for SimLimits {
    fn default() -> Self {
        Self {
            tier: AccessTier::Limited,
            window: Duration::from_secs(300),
            account_calls: None,
            account_insights_calls: None,
            app_calls: 10_000,
            user_calls: None,
            account_calls_per_second: None,
            max_page_rows: 10_000,
            max_page_cells: 100_000,
            max_query_cells: 2_000_000,
            max_async_query_cells: 50_000_000,
            max_list_limit: 5_000,
        }
    }
}

impl SimLimits {
    /// Budgets so large they never bind (benchmarks); data-size limits stay.
    pub fn unlimited() -> Self {
        Self {
            account_calls: Some(u32::MAX),
            account_insights_calls: Some(u32::MAX),
            app_calls: u32::MAX,
            max_query_cells: u64::MAX,
            max_async_query_cells: u64::MAX,
            max_page_cells: u64::MAX,
            max_page_rows: u32::MAX,
            ..Self::default()
        }
    }

    /// Capacity of an account's management score with `active_ads` active ads.
    pub fn management_capacity(&self, active_ads: u64) -> f64 {
        self.account_calls.map_or_else(|| self.scaled(self.tier.management_per_hour(active_ads)), f64::from)
    }

    /// Capacity of an account's insights score with `active_ads` active ads.
    pub fn insights_capacity(&self, active_ads: u64) -> f64 {
        self.account_insights_calls
            .map_or_else(|| self.scaled(self.tier.insights_per_hour(active_ads)), f64::from)
    }

    fn scaled(&self, per_hour: u64) -> f64 {
        per_hour as f64 * self.window.as_secs_f64() / 3600.0
    }
}
