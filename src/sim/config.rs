//! Simulator configuration: world size, clock, app credentials, limits and fault knobs.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// Everything that shapes a simulated world and how it is served.
/// `Default::default()` is a small realistic world on the real clock.
#[derive(Debug, Clone)]
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
    /// Probability that a continuation page comes back empty yet with `next` (facts §3).
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

/// Call budgets over a rolling window, and the data-per-call limits of insights.
#[derive(Debug, Clone)]
pub struct SimLimits {
    /// Length of the rolling window (an hour at Meta; seconds in tests).
    pub window: Duration,
    /// Calls per ad account per window (every batch item counts); over → 80004.
    pub account_calls: u32,
    /// Insights calls per ad account per window (a subset of the calls); over → 80000.
    pub account_insights_calls: u32,
    /// Calls per app per window; over → 4.
    pub app_calls: u32,
    /// Calls per access token per window; over → 17. `None` = no per-user budget.
    pub user_calls: Option<u32>,
    /// Calls per ad account per second; over → 613/1487742. `None` = no burst limit.
    pub account_calls_per_second: Option<u32>,
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
            window: Duration::from_secs(3600),
            account_calls: 200,
            account_insights_calls: 100,
            app_calls: 10_000,
            user_calls: None,
            account_calls_per_second: None,
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
            account_calls: u32::MAX,
            account_insights_calls: u32::MAX,
            app_calls: u32::MAX,
            max_query_cells: u64::MAX,
            max_async_query_cells: u64::MAX,
            max_page_cells: u64::MAX,
            ..Self::default()
        }
    }
}
