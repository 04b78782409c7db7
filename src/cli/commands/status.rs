//! `status`: a table per account and stream — last success, cursor, failures, freshness —
//! then the leases held now (by whom, since when, whether the holder lives) and the last runs.

use chrono::{DateTime, Utc};

use super::{CommandError, open_warehouse};
use crate::config::Config;
use crate::warehouse::{CursorState, LeaseRow, account_key};

/// Prints the cursor table, the leases held now and the latest runs, after closing as
/// `abandoned` the runs whose process died. Never creates a database: a missing SQLite file is
/// an error that says so.
pub fn run(cfg: &Config) -> Result<(), CommandError> {
    if let Some(path) = missing_sqlite_file(&cfg.warehouse.url) {
        return Err(CommandError::failed(format!(
            "no warehouse at {path}: the file does not exist (check warehouse.url, or run `meta-ads-sync sync` or `migrate` first)"
        )));
    }
    let wh = open_warehouse(&cfg.warehouse.url)?;
    let cursors = wh
        .cursors()
        .map_err(|e| CommandError::failed(format!("{e} (run `meta-ads-sync migrate` first?)")))?;
    if cursors.is_empty() {
        crate::outln!("no sync has run against {} yet", wh.location());
        return Ok(());
    }
    crate::cli::console::out(render(&cursors, Utc::now()).trim_end_matches('\n'));
    match wh.abandon_dead_runs() {
        Ok(ids) if !ids.is_empty() => {
            let ids: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
            crate::outln!("\nmarked abandoned (their process died before closing them): {}", ids.join(", "));
        }
        Ok(_) => {}
        Err(e) => crate::errln!(Warn, "could not check for abandoned runs: {e}"),
    }
    match wh.named_leases() {
        Ok(leases) => {
            let leases: Vec<(LeaseRow, bool)> = leases
                .into_iter()
                .map(|l| {
                    let alive = wh.lock_is_held(&account_key(&l.account_id)).unwrap_or(true);
                    (l, alive)
                })
                .collect();
            crate::cli::console::out(render_leases(&leases, Utc::now()).trim_end_matches('\n'));
        }
        Err(e) => crate::errln!(Warn, "could not read the leases: {e}"),
    }
    if let Ok(runs) = wh.recent_runs(5) {
        for (i, r) in runs.iter().enumerate() {
            let lead = match i {
                0 => "\nlast run",
                1 => "earlier runs:\n  run",
                _ => "  run",
            };
            crate::outln!(
                "{lead} #{}: {} at {}{}, {} API calls, {} rows{}",
                r.run_id,
                r.status.as_str(),
                r.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
                r.finished_at.map(|t| format!(" to {}", t.format("%H:%M:%S"))).unwrap_or_default(),
                r.api_calls,
                r.rows_upserted,
                r.error.as_deref().map(|e| format!(", error: {e}")).unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// The path of a `sqlite://` warehouse whose file does not exist; `None` otherwise.
fn missing_sqlite_file(url: &str) -> Option<String> {
    let path = url.trim().strip_prefix("sqlite://")?;
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && !path.starts_with(":memory:") && !std::path::Path::new(path).exists())
        .then(|| path.to_string())
}

/// The leases rows name now, each with whether its holder is alive (holds its lock), pure.
pub fn render_leases(leases: &[(LeaseRow, bool)], now: DateTime<Utc>) -> String {
    if leases.is_empty() {
        return "\nno account is leased now\n".to_string();
    }
    let mut out = String::from("\nleases:\n");
    for (l, alive) in leases {
        let since = l
            .since
            .map(|t| format!("since {} ({})", t.format("%Y-%m-%d %H:%M:%S UTC"), age(now - t)))
            .unwrap_or_else(|| "since an unknown time".to_string());
        let state = if *alive {
            "held by a live worker".to_string()
        } else {
            "its holder is gone (the next sync takes it over at once)".to_string()
        };
        let expires =
            l.expires_at.map(|t| format!(", lease until {}", t.format("%H:%M:%S"))).unwrap_or_default();
        out.push_str(&format!("  {} {} {since}{expires}: {state}\n", l.account_id, l.owner));
    }
    out
}

/// The table as text (pure, for tests).
pub fn render(cursors: &[CursorState], now: DateTime<Utc>) -> String {
    let header = ["ACCOUNT", "STREAM", "LAST SUCCESS", "FRESHNESS", "CURSOR", "FAILS", "LAST ERROR"];
    let mut rows: Vec<[String; 7]> = vec![header.map(String::from)];
    for c in cursors {
        let freshness = c.last_success_at.map(|t| age(now - t)).unwrap_or_else(|| "never".to_string());
        let mut error = c.last_error.clone().unwrap_or_default();
        if error.chars().count() > 80 {
            error = error.chars().take(77).collect::<String>() + "...";
        }
        rows.push([
            c.account_id.clone(),
            c.stream.clone(),
            c.last_success_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "-".into()),
            freshness,
            c.cursor.clone().unwrap_or_else(|| "-".into()),
            c.fail_count.to_string(),
            error,
        ]);
    }
    let widths: Vec<usize> =
        (0..7).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn age(d: chrono::Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s ago"),
        60..3600 => format!("{}m ago", s / 60),
        3600..86_400 => format!("{}h ago", s / 3600),
        _ => format!("{}d ago", s / 86_400),
    }
}
