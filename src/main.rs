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
    tune_allocator();
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

/// mimalloc's settings, read from the environment when it starts (before `main`).
/// `MIMALLOC_PURGE_DELAY=0`: freed pages go back to the system at once instead of after a
/// second, which otherwise keeps several rounds of pages resident (mimalloc v3's default).
/// `MIMALLOC_ALLOW_THP=0`: no transparent huge pages, or each touched 2 MiB region of
/// mimalloc's arena is resident whole where THP is `always`. Sync benchmark peak RSS (1M insight
/// rows, `cargo bench --bench sync`): SQLite 172 → 51 MB, PostgreSQL 118 → 38 MB.
const ALLOCATOR_ENV: [(&str, &str); 2] = [("MIMALLOC_PURGE_DELAY", "0"), ("MIMALLOC_ALLOW_THP", "0")];

/// Applies [`ALLOCATOR_ENV`]: opts out of THP now (`prctl(PR_SET_THP_DISABLE)`, Linux), and,
/// unless the environment already chooses mimalloc's purge delay, re-executes this binary
/// (same pid, arguments and descriptors) with the settings so mimalloc starts with them. If the
/// re-exec fails, the worker runs with mimalloc's defaults: more memory, nothing else.
fn tune_allocator() {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let _ = rustix::thread::disable_transparent_huge_pages(true);
        if std::env::var_os(ALLOCATOR_ENV[0].0).is_some() {
            return;
        }
        let mut args = std::env::args_os();
        let (Ok(exe), Some(arg0)) = (std::env::current_exe(), args.next()) else { return };
        let _failed = std::process::Command::new(exe).arg0(arg0).args(args).envs(ALLOCATOR_ENV).exec();
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::failed(format!("cannot start the async runtime: {e}")))
}
