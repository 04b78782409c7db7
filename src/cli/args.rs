//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Keeps a SQL warehouse in step with Meta Ads.
#[derive(Debug, Parser)]
#[command(name = "meta-ads-sync", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: config/default.yaml, or the built-in defaults when absent).
    #[arg(long, global = true, env = "META_ADS_SYNC_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The worker's modes.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending warehouse migrations, then exit.
    Migrate,
    /// One pass over what is due, then exit (the CronJob contract). Exit codes: 0 all accounts
    /// succeeded, 1 some failed, 2 invalid config or usage, 3 an account needs re-authorization.
    Sync(SyncArgs),
    /// Run syncs on the configured schedule until stopped.
    Daemon,
    /// Start the built-in Graph API simulator and sync it into a local SQLite file.
    Demo(DemoArgs),
    /// Show per account and stream: last success, cursor, failures, freshness.
    Status,
    /// Try the configuration without syncing: API version, warehouse, token, accounts.
    /// Exit 0 only when every check passes.
    Check,
}

/// Options of `sync`.
#[derive(Debug, Args, Default)]
pub struct SyncArgs {
    /// Only these ad accounts (repeatable; with or without `act_`).
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<String>,
    /// First day of insights to (re)load, YYYY-MM-DD; overrides the cursor.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Last day of insights to load, YYYY-MM-DD (default: today in each account's time zone).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// SQLite file to fill. An existing file is replaced only if a previous demo wrote it
    /// (its SQLite `application_id` is the demo's), or with `--force`.
    #[arg(long, default_value = "demo.db", value_name = "PATH")]
    pub db: PathBuf,
    /// Overwrite the `--db` file even if it is not a previous demo warehouse.
    #[arg(long)]
    pub force: bool,
    /// Ad accounts in the simulated world.
    #[arg(long, default_value_t = 3)]
    pub accounts: usize,
    /// Campaigns per ad account.
    #[arg(long, default_value_t = 20)]
    pub campaigns: usize,
    /// Days of insights history.
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Seed of the simulated world.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}
