//! `meta-ads-sync` binary entry point.

use std::process::ExitCode;

use clap::Parser;
use meta_ads_sync::cli::{Cli, Command, exit, init_logging};
use meta_ads_sync::config;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (cfg, _source) = match config::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    init_logging(&cfg.logging);
    if let Some(warning) = config::version_warning(&cfg.meta.base_url, chrono::Utc::now().date_naive()) {
        tracing::warn!("{warning}");
    }
    let name = match cli.command {
        Command::Migrate => "migrate",
        Command::Sync(_) => "sync",
        Command::Daemon => "daemon",
        Command::Demo(_) => "demo",
        Command::Status => "status",
    };
    eprintln!("error: `{name}` is not built yet in this version of meta-ads-sync");
    ExitCode::from(exit::USAGE)
}
