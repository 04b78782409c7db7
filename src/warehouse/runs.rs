//! `sync_runs`: one row per `sync` (or daemon tick), opened at start and closed at the end.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::codec::{parse_timestamp, timestamp_text};
use super::db::{Bind, Db};
use super::dialect::ts;
use super::error::WarehouseError;
use super::types::{RunOutcome, RunRecord, RunStatus};

#[derive(QueryableByName)]
struct RunId {
    #[diesel(sql_type = BigInt)]
    run_id: i64,
}

/// Inserts a `running` row; returns its id.
pub(crate) fn start<C: Db>(conn: &mut C, now: DateTime<Utc>) -> Result<i64, WarehouseError> {
    let rows: Vec<RunId> = conn.load(
        "INSERT INTO sync_runs (started_at, status) VALUES ($1::timestamptz, 'running') RETURNING run_id",
        vec![Bind::Text(timestamp_text(&now))],
    )?;
    rows.first()
        .map(|r| r.run_id)
        .ok_or_else(|| WarehouseError::InvalidInput("INSERT returned no run_id".into()))
}

/// Closes run `run_id` with `outcome`.
pub(crate) fn finish<C: Db>(
    conn: &mut C,
    run_id: i64,
    outcome: &RunOutcome,
    now: DateTime<Utc>,
) -> Result<(), WarehouseError> {
    if outcome.status == RunStatus::Running {
        return Err(WarehouseError::InvalidInput("a finished run cannot have status running".into()));
    }
    let count = |n: u64| Bind::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let updated = conn.exec(
        "UPDATE sync_runs SET finished_at = $1::timestamptz, status = $2, api_calls = $3, \
         rows_upserted = $4, error = $5 WHERE run_id = $6",
        vec![
            Bind::Text(timestamp_text(&now)),
            Bind::Text(outcome.status.as_str().into()),
            count(outcome.api_calls),
            count(outcome.rows_upserted),
            Bind::OptText(outcome.error.clone()),
            Bind::Int(run_id),
        ],
    )?;
    if updated == 0 {
        return Err(WarehouseError::InvalidInput(format!("no sync run with id {run_id}")));
    }
    Ok(())
}

#[derive(QueryableByName)]
struct RunText {
    #[diesel(sql_type = BigInt)]
    run_id: i64,
    #[diesel(sql_type = Text)]
    started_at: String,
    #[diesel(sql_type = Nullable<Text>)]
    finished_at: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = BigInt)]
    api_calls: i64,
    #[diesel(sql_type = BigInt)]
    rows_upserted: i64,
    #[diesel(sql_type = Nullable<Text>)]
    error: Option<String>,
}

/// The latest `limit` runs, newest first.
pub(crate) fn recent<C: Db>(conn: &mut C, limit: usize) -> Result<Vec<RunRecord>, WarehouseError> {
    let b = C::BACKEND;
    let sql = format!(
        "SELECT run_id, {}, {}, status, api_calls, rows_upserted, error FROM sync_runs \
         ORDER BY run_id DESC LIMIT $1",
        ts(b, "started_at"),
        ts(b, "finished_at")
    );
    let rows: Vec<RunText> = conn.load(&sql, vec![Bind::Int(i64::try_from(limit).unwrap_or(i64::MAX))])?;
    rows.into_iter()
        .map(|r| {
            Ok(RunRecord {
                run_id: r.run_id,
                started_at: parse_timestamp("sync_runs", "started_at", &r.started_at)?,
                finished_at: r
                    .finished_at
                    .map(|s| parse_timestamp("sync_runs", "finished_at", &s))
                    .transpose()?,
                status: RunStatus::parse(&r.status).ok_or_else(|| WarehouseError::Corrupt {
                    table: "sync_runs",
                    column: "status",
                    detail: format!("unknown status {:?}", r.status),
                })?,
                api_calls: r.api_calls.max(0) as u64,
                rows_upserted: r.rows_upserted.max(0) as u64,
                error: r.error,
            })
        })
        .collect()
}
