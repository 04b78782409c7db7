//! `meta-ads-sync` binary entry point: parse, load config, dispatch, map outcomes to exit codes.

use std::process::ExitCode;

use clap::Parser;
use meta_ads_sync::cli::commands::{self, CommandError};
use meta_ads_sync::cli::{Cli, Command, console, exit, init_logging};
use meta_ads_sync::config;

/// mimalloc instead of glibc malloc: a sync parses millions of small JSON values on several
/// threads, and glibc's per-thread arenas kept freed memory resident (peak RSS 2-3× the live
/// data in the sync benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A config that does not load cannot say its log format; the environment override can.
    if std::env::var("META_ADS_SYNC__LOGGING__FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        console::set_json(true);
    }
    let (cfg, _source) = match config::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => {
            console::fatal(&e.to_string());
            return ExitCode::from(exit::USAGE);
        }
    };
    init_logging(&cfg.logging);
    if let Some(warning) = config::version_warning(&cfg.meta.base_url, chrono::Utc::now().date_naive()) {
        tracing::warn!("{warning}");
    }
    let result = match cli.command {
        Command::Migrate => commands::migrate::run(&cfg).map(|()| exit::OK),
        Command::Status => commands::status::run(&cfg).map(|()| exit::OK),
        Command::Check => runtime().and_then(|rt| rt.block_on(commands::check::run(&cfg))),
        Command::Sync(args) => runtime().and_then(|rt| {
            rt.block_on(commands::sync::run(&cfg, &args)).map(|report| exit::for_report(&report))
        }),
        Command::Daemon => Err(CommandError::usage(
            "`daemon` is not built yet in this version: schedule `meta-ads-sync sync` (deploy/cronjob.yaml) instead",
        )),
        Command::Demo(args) => {
            runtime().and_then(|rt| rt.block_on(commands::demo::run(&cfg, &args)).map(|()| exit::OK))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            console::fatal(&e.message);
            ExitCode::from(e.code)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::failed(format!("cannot start the async runtime: {e}")))
}
