//! `sync`: one pass over what is due, then exit with a code that tells the scheduler what
//! happened (0 ok, 1 some accounts failed, 2 config, 3 re-authorize). 0 also when live workers
//! held every account (a CronJob replica whose work another replica is doing; the summary says
//! `sync idle`, never "succeeded") and when SIGTERM/SIGINT stopped the pass (`sync
//! interrupted`: the writes in flight finished, leases and locks were released, the run row
//! closed; the next run resumes).

use std::sync::Arc;

use chrono::NaiveDate;

use super::{CommandError, open_warehouse, peak_rss_text};
use crate::cli::{SyncArgs, progress_line};
use crate::config::Config;
use crate::graph::{GraphClient, StaticToken};
use crate::ids::AccountId;
use crate::sync::engine::{SyncOptions, run_sync};
use crate::sync::holder::WarehouseLiveness;
use crate::sync::report::{AccountOutcome, RunReport};
use crate::sync::shutdown::Shutdown;
use crate::warehouse::Warehouse;

/// Builds the client and warehouse from config, runs one pass, prints the summary.
pub async fn run(cfg: &Config, args: &SyncArgs) -> Result<RunReport, CommandError> {
    let mut opts = options(cfg, args)?;
    let client = client(cfg)?;
    let warehouse = prepare_warehouse(cfg).await?;
    let liveness =
        WarehouseLiveness::open(&warehouse).await.map_err(|e| CommandError::failed(format!("{e:#}")))?;
    opts.liveness = Some(Arc::new(liveness));
    let signals = on_signals(opts.shutdown.clone(), opts.shutdown_grace);
    let report = run_with_progress(cfg, &client, &warehouse, &opts).await;
    signals.abort();
    let report = report?;
    if let Some(line) = &report.misconfigured {
        // One line naming the setting to fix, exit 2: no account can sync until it is fixed.
        return Err(CommandError::usage(line.clone()));
    }
    print_summary(&report);
    Ok(report)
}

/// Runs one pass, with the progress line on stderr when it is a terminal (and the logs are not
/// JSON lines).
pub async fn run_with_progress(
    cfg: &Config,
    client: &GraphClient,
    warehouse: &Warehouse,
    opts: &SyncOptions,
) -> Result<RunReport, CommandError> {
    let display = (!crate::cli::console::json() && std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .then(|| progress_line::draw(opts.progress.clone(), client.clone()));
    let report = run_sync(cfg, client, warehouse, opts).await;
    drop(display);
    report.map_err(|e| CommandError::failed(format!("{e:#}")))
}

/// Raises `shutdown` on the first SIGTERM or SIGINT. Should the pass not wind down within
/// `grace` (plus a second for closing the run row), or on a second signal, the process exits 0
/// at once: every transaction is atomic and the locks die with the process, so the next run
/// resumes from the committed cursors (`status` shows the run `abandoned`).
fn on_signals(shutdown: Shutdown, grace: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
        else {
            tracing::warn!("cannot listen for SIGTERM/SIGINT; a signal will end the process at once");
            return;
        };
        let name = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        };
        crate::errln!(
            Warn,
            "{name}: stopping (no new work; the writes in flight finish, then the accounts are released)"
        );
        shutdown.request();
        tokio::select! {
            () = tokio::time::sleep(grace + std::time::Duration::from_secs(1)) => {
                crate::errln!(Warn, "{name}: the pass did not stop within {} s; exiting now (the next run resumes)", grace.as_secs());
            }
            _ = term.recv() => crate::errln!(Warn, "second signal: exiting now"),
            _ = int.recv() => crate::errln!(Warn, "second signal: exiting now"),
        }
        std::process::exit(crate::cli::exit::OK.into());
    })
}

/// The options of this `sync`: its command line over the `sync:` config.
pub fn options(cfg: &Config, args: &SyncArgs) -> Result<SyncOptions, CommandError> {
    let date = |flag: &str, v: &Option<String>| -> Result<Option<NaiveDate>, CommandError> {
        v.as_deref()
            .map(|s| s.parse::<NaiveDate>())
            .transpose()
            .map_err(|_| CommandError::usage(format!("--{flag} must be a date like 2026-11-01")))
    };
    let (since, until) = (date("since", &args.since)?, date("until", &args.until)?);
    crate::config::check_insights_window(since, until, chrono::Utc::now().date_naive())
        .map_err(|why| CommandError::usage(format!("--since/--until: the window {why}")))?;
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(CommandError::usage(format!("--since {s} is after --until {u}")));
    }
    let accounts = args
        .accounts
        .iter()
        .map(|a| {
            AccountId::parse(a).map_err(|_| {
                CommandError::usage(format!("--account {a:?} is not an ad account id (act_123 or 123)"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SyncOptions { accounts, since, until, worker_id: worker_id(), ..SyncOptions::from_config(cfg) })
}

/// Opens the warehouse and applies migrations unless `warehouse.migrate_on_start` is off.
pub async fn prepare_warehouse(cfg: &Config) -> Result<Warehouse, CommandError> {
    let (url, migrate) = (cfg.warehouse.url.clone(), cfg.warehouse.migrate_on_start);
    tokio::task::spawn_blocking(move || {
        let wh = open_warehouse(&url)?;
        if migrate {
            wh.migrate().map_err(|e| CommandError::failed(e.to_string()))?;
        }
        Ok(wh)
    })
    .await
    .map_err(|e| CommandError::failed(format!("warehouse task: {e}")))?
}

/// The Graph client with the configured system-user or long-lived token.
pub fn client(cfg: &Config) -> Result<GraphClient, CommandError> {
    let token = StaticToken::from_config(&cfg.meta).map_err(|_| {
        CommandError::usage(
            "meta.access_token is not set: export META_ACCESS_TOKEN=<system-user or long-lived token> (or set it in the config file)",
        )
    })?;
    GraphClient::new(&cfg.meta, Arc::new(token)).map_err(|e| CommandError::usage(e.to_string()))
}

/// This worker's lease-owner name: the pod or host name and the process id.
pub fn worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_string());
    format!("{host}:{}", std::process::id())
}

/// Prints one line per account that did not succeed and a totals line.
pub fn print_summary(report: &RunReport) {
    let labelled = report.discovery.iter().map(|o| ("ad account discovery".to_string(), o));
    let accounts = report.accounts.iter().map(|(id, o)| (format!("account {id}"), o));
    for (who, outcome) in labelled.chain(accounts) {
        match outcome {
            AccountOutcome::Failed(m) => crate::errln!(Error, "{who}: FAILED: {m}"),
            AccountOutcome::NeedsReauth(m) => {
                crate::errln!(
                    Error,
                    "{who}: NEEDS RE-AUTHORIZATION: {m} (reconnect the Meta account or replace the token)"
                )
            }
            AccountOutcome::Held { holder } => {
                crate::errln!(Warn, "{who}: held by a live worker ({holder}); left to it")
            }
            AccountOutcome::Interrupted => {
                crate::errln!(Warn, "{who}: interrupted by a signal; the next run resumes it")
            }
            AccountOutcome::Succeeded => {}
        }
    }
    crate::outln!("{}", summary_line(report, &peak_rss_text()));
}

/// The totals line: `sync <status>: <synced>/<tried> accounts succeeded`, then what live workers
/// hold, calls, rows and memory. "succeeded" only ever counts what this run synced.
pub fn summary_line(report: &RunReport, peak_memory: &str) -> String {
    let held = report.held();
    let tried = report.accounts.len() - held.len();
    let rows: Vec<String> = report.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
    let counts = match held.len() {
        0 => format!("{}/{tried} accounts succeeded", report.synced()),
        n if tried == 0 => format!("nothing synced, all {n} accounts are held by other live workers"),
        n => format!("{}/{tried} accounts succeeded ({n} more held by other live workers)", report.synced()),
    };
    format!(
        "sync {}: {counts}, {} API calls, rows upserted: {}; peak memory {peak_memory}",
        report.status().as_str(),
        report.api_calls,
        if rows.is_empty() { "none".to_string() } else { rows.join(", ") },
    )
}
