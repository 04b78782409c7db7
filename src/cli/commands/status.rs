//! `status`: a table per account and stream — last success, cursor, failures, freshness.

use chrono::{DateTime, Utc};

use super::{CommandError, open_warehouse};
use crate::config::Config;
use crate::warehouse::CursorState;

/// Prints the cursor table and the latest runs.
pub fn run(cfg: &Config) -> Result<(), CommandError> {
    let wh = open_warehouse(&cfg.warehouse.url)?;
    let cursors = wh
        .cursors()
        .map_err(|e| CommandError::failed(format!("{e} (run `meta-ads-sync migrate` first?)")))?;
    if cursors.is_empty() {
        crate::outln!("no sync has run against {} yet", wh.location());
        return Ok(());
    }
    crate::cli::console::out(render(&cursors, Utc::now()).trim_end_matches('\n'));
    if let Ok(runs) = wh.recent_runs(1)
        && let Some(r) = runs.first()
    {
        crate::outln!(
            "\nlast run #{}: {} at {}, {} API calls, {} rows{}",
            r.run_id,
            r.status.as_str(),
            r.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
            r.api_calls,
            r.rows_upserted,
            r.error.as_deref().map(|e| format!(", error: {e}")).unwrap_or_default()
        );
    }
    Ok(())
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
