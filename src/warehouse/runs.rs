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

/// Records the holder lock key of run `run_id` (its process holds that lock while it runs).
pub(crate) fn set_holder<C: Db>(conn: &mut C, run_id: i64, holder: &str) -> Result<(), WarehouseError> {
    conn.exec(
        "UPDATE sync_runs SET holder = $1 WHERE run_id = $2",
        vec![Bind::Text(holder.into()), Bind::Int(run_id)],
    )?;
    Ok(())
}

#[derive(QueryableByName)]
struct Running {
    #[diesel(sql_type = BigInt)]
    run_id: i64,
    #[diesel(sql_type = Text)]
    holder: String,
}

/// Runs still `running` whose holder lock key is recorded.
pub(crate) fn running<C: Db>(conn: &mut C) -> Result<Vec<(i64, String)>, WarehouseError> {
    let rows: Vec<Running> = conn.load(
        "SELECT run_id, holder FROM sync_runs WHERE status = 'running' AND holder IS NOT NULL ORDER BY run_id",
        Vec::new(),
    )?;
    Ok(rows.into_iter().map(|r| (r.run_id, r.holder)).collect())
}

/// Closes run `run_id` as `abandoned` if it is still `running`; `true` when it was.
pub(crate) fn abandon<C: Db>(conn: &mut C, run_id: i64, now: DateTime<Utc>) -> Result<bool, WarehouseError> {
    let n = conn.exec(
        "UPDATE sync_runs SET status = 'abandoned', finished_at = $1::timestamptz, \
         error = 'its process died before closing the run (its holder lock is gone)' \
         WHERE run_id = $2 AND status = 'running'",
        vec![Bind::Text(timestamp_text(&now)), Bind::Int(run_id)],
    )?;
    Ok(n > 0)
}

impl super::handle::Warehouse {
    /// Records that run `run_id` is held by the lock `holder` of its process.
    pub fn set_run_holder(&self, run_id: i64, holder: &str) -> Result<(), WarehouseError> {
        match &self.pools {
            super::handle::Pools::Pg(p) => set_holder(&mut *p.get()?, run_id, holder),
            super::handle::Pools::Sqlite(p) => set_holder(&mut *p.get()?, run_id, holder),
        }
    }

    /// Closes as `abandoned` every `running` run whose process is gone (its holder lock is
    /// free); returns their ids. Runs that never recorded a holder are left alone.
    pub fn abandon_dead_runs(&self) -> Result<Vec<i64>, WarehouseError> {
        let open = match &self.pools {
            super::handle::Pools::Pg(p) => running(&mut *p.get()?)?,
            super::handle::Pools::Sqlite(p) => running(&mut *p.get()?)?,
        };
        let mut abandoned = Vec::new();
        for (run_id, holder) in open {
            if self.lock_is_held(&holder)? {
                continue;
            }
            let now = super::codec::to_micros(Utc::now());
            let closed = match &self.pools {
                super::handle::Pools::Pg(p) => abandon(&mut *p.get()?, run_id, now)?,
                super::handle::Pools::Sqlite(p) => abandon(&mut *p.get()?, run_id, now)?,
            };
            if closed {
                abandoned.push(run_id);
            }
        }
        Ok(abandoned)
    }
}
