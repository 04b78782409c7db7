//! `graph-sim`: runs the Graph Marketing API simulator on loopback until Ctrl-C.

use chrono::{DateTime, Utc};
use clap::Parser;
use meta_ads_sync::sim::{AccessTier, SimConfig, SimLimits, SimServer};
use std::net::SocketAddr;
use std::time::Duration;

/// Serves a deterministic, simulated Meta Marketing API (Graph API) on loopback.
///
/// Prints the versioned base URL and a system-user access token on stdout, then serves until
/// Ctrl-C. Point any Graph API client at the base URL instead of Meta's graph.facebook.com.
#[derive(Debug, Parser)]
#[command(name = "graph-sim", version)]
struct Args {
    /// TCP port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind instead of 127.0.0.1 (e.g. 0.0.0.0 inside a container).
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Seed of the generated world: the same seed and sizes give the same world.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Businesses owning the ad accounts.
    #[arg(long, default_value_t = 2)]
    businesses: usize,
    /// Ad accounts.
    #[arg(long, default_value_t = 3)]
    accounts: usize,
    /// Campaigns per ad account.
    #[arg(long, default_value_t = 12)]
    campaigns: usize,
    /// Ad sets per campaign.
    #[arg(long, default_value_t = 2)]
    adsets: usize,
    /// Ads per ad set (each with its own creative).
    #[arg(long, default_value_t = 2)]
    ads: usize,
    /// Days of insights history, ending today in each account's time zone.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Fixed start of the simulated clock (RFC 3339, e.g. 2026-09-03T17:00:00Z); default: real clock.
    #[arg(long)]
    now: Option<DateTime<Utc>>,
    /// Latest API version served (URLs and the 2635 "deprecated version" message).
    #[arg(long, default_value = "v25.0")]
    api_version: String,
    /// App id (OAuth client_id).
    #[arg(long, default_value = "1234567890123456")]
    app_id: String,
    /// App secret (OAuth client_secret and appsecret_proof key).
    #[arg(long, default_value = "sim-app-secret")]
    app_secret: String,
    /// Reject calls without a valid appsecret_proof ("Require App Secret").
    #[arg(long)]
    require_appsecret_proof: bool,
    /// Access tier whose formulas give each ad account's budget: `limited` (Meta's default,
    /// 300 + 40 × active ads management calls per hour) or `full` (100000 + 40 × active ads).
    #[arg(long, default_value = "limited")]
    tier: AccessTier,
    /// Seconds a full ad-account score takes to decay to zero (Meta: 300).
    #[arg(long, default_value_t = 300)]
    window_secs: u64,
    /// Points an ad account's management score holds instead of the tier's budget scaled to the
    /// window (over → 80004); a write costs 3 points, a read 1.
    #[arg(long)]
    account_calls: Option<u32>,
    /// Insights calls an ad account's insights score holds instead of the tier's (over → 80000).
    #[arg(long)]
    insights_calls: Option<u32>,
    /// Calls per app per hour (over → 4).
    #[arg(long, default_value_t = 10_000)]
    app_calls: u32,
    /// Calls per access token per hour (over → 17); default: unlimited.
    #[arg(long)]
    user_calls: Option<u32>,
    /// Calls per ad account per second (over → 613); default: unlimited.
    #[arg(long)]
    burst_per_second: Option<u32>,
    /// No call budgets and no data-size limits (benchmarks).
    #[arg(long)]
    unlimited: bool,
    /// Rows one insights page may hold (over → HTTP 500 code 1 "Please reduce…").
    #[arg(long, default_value_t = 10_000)]
    max_page_rows: u32,
    /// Rows × fields one insights page may hold (over → HTTP 500 code 1 "Please reduce…").
    #[arg(long, default_value_t = 100_000)]
    max_page_cells: u64,
    /// Estimated rows × fields of a sync insights query (over → 100/1487534).
    #[arg(long, default_value_t = 2_000_000)]
    max_query_cells: u64,
    /// Probability that a continuation page is served empty (with `next`).
    #[arg(long, default_value_t = 0.02)]
    empty_page_rate: f64,
    /// Polls before an async report run completes.
    #[arg(long, default_value_t = 4)]
    async_polls: u32,
    /// Probability that an async report run fails.
    #[arg(long, default_value_t = 0.0)]
    async_failure_rate: f64,
}

impl Args {
    fn config(&self) -> SimConfig {
        let limits = if self.unlimited {
            SimLimits::unlimited()
        } else {
            SimLimits {
                tier: self.tier,
                window: Duration::from_secs(self.window_secs.max(1)),
                account_calls: self.account_calls,
                account_insights_calls: self.insights_calls,
                app_calls: self.app_calls,
                user_calls: self.user_calls,
                account_calls_per_second: self.burst_per_second,
                max_page_rows: self.max_page_rows,
                max_page_cells: self.max_page_cells,
                max_query_cells: self.max_query_cells,
                ..SimLimits::default()
            }
        };
        SimConfig {
            seed: self.seed,
            businesses: self.businesses,
            accounts: self.accounts,
            campaigns_per_account: self.campaigns,
            adsets_per_campaign: self.adsets,
            ads_per_adset: self.ads,
            days: self.days,
            now: self.now,
            api_version: self.api_version.clone(),
            app_id: self.app_id.clone(),
            app_secret: self.app_secret.clone(),
            require_appsecret_proof: self.require_appsecret_proof,
            limits,
            empty_page_rate: self.empty_page_rate,
            async_polls_to_complete: self.async_polls,
            async_failure_rate: self.async_failure_rate,
            ..SimConfig::default()
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let server = SimServer::start_on(args.config(), SocketAddr::new(args.bind, args.port)).await?;
    let sim = server.sim();
    println!("listening on {}", server.root_url());
    println!("base_url {}", server.base_url());
    println!("access_token {}", sim.system_user_token());
    println!("app_id {} app_secret {}", args.app_id, args.app_secret);
    println!("accounts {}", sim.account_ids().join(","));
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}
