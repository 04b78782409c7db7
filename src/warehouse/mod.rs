//! The SQL warehouse: schema, migrations, idempotent bulk upserts, cursors and leases on
//! PostgreSQL and SQLite through diesel. Every method blocks (diesel is synchronous); async
//! callers use `tokio::task::spawn_blocking`. Schema reference: `docs/schema.md`.

mod codec;
mod connect;
mod copy_binary;
mod cursors;
mod db;
mod decode;
mod dialect;
mod error;
mod handle;
mod holder;
mod keys;
mod leases;
mod migrate;
mod redact;
mod rows;
mod runs;
pub mod schema_pg;
pub mod schema_sqlite;
mod snapshot;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
mod types;
mod upsert_pg;
mod upsert_sqlite;
mod url;

use std::time::Duration;

use chrono::Utc;
use diesel::{PgConnection, SqliteConnection};

use self::codec::to_micros;
use self::db::Db;
use self::rows::last_wins;
use self::url::WarehouseUrl;
use crate::model::table::TableRow;

pub use self::error::WarehouseError;
use self::handle::Pools;
pub use self::handle::Warehouse;
pub use self::holder::{HolderLocks, account_key, run_key};
pub use self::keys::{AccountKey, StreamKey};
pub use self::leases::{LEASE_STREAM, LeaseRow};
pub use self::redact::redact as redact_url;
pub use self::types::{
    Backend, CommitStats, CursorAdvance, CursorState, RunOutcome, RunRecord, RunStatus, Snapshot, WriteBatch,
};

/// Runs `$body` with `$c` bound to a pooled connection of whichever backend `$wh` uses; the
/// body is compiled once per connection type.
macro_rules! with_conn {
    ($wh:expr, |$c:ident| $body:expr) => {
        match &$wh.pools {
            Pools::Pg(pool) => {
                let mut pooled = pool.get()?;
                let $c: &mut PgConnection = &mut pooled;
                $body
            }
            Pools::Sqlite(pool) => {
                let mut pooled = pool.get()?;
                let $c: &mut SqliteConnection = &mut pooled;
                $body
            }
        }
    };
}

impl Warehouse {
    /// Opens `url` (`sqlite://path.db` or `postgres://...`) and checks it is reachable. Errors
    /// are one line naming the cause and the fix, without the password.
    pub fn connect(url: &str) -> Result<Warehouse, WarehouseError> {
        let parsed = WarehouseUrl::parse(url)?;
        let (pools, location) = match parsed {
            WarehouseUrl::Sqlite { path } => {
                (Pools::Sqlite(connect::sqlite(&path)?), format!("sqlite://{path}"))
            }
            WarehouseUrl::Postgres { url, endpoint } => {
                (Pools::Pg(connect::postgres(&url, &endpoint)?), redact_url(&url))
            }
        };
        Ok(Warehouse { pools, chunk_rows: None, location: location.into() })
    }

    /// The same warehouse writing at most `rows` rows per statement (SQLite) or per COPY round
    /// (PostgreSQL). Lowering it only costs speed; tests use it to exercise multi-chunk writes.
    pub fn with_chunk_rows(mut self, rows: usize) -> Warehouse {
        self.chunk_rows = Some(rows.max(1));
        self
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Pg(_) => Backend::Postgres,
            Pools::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Where the database is (`sqlite://path` or the postgres URL without its password).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Applies pending migrations; returns the versions applied (empty when up to date).
    /// Concurrent callers are serialized (advisory lock on PostgreSQL, write lock on SQLite).
    pub fn migrate(&self) -> Result<Vec<String>, WarehouseError> {
        match &self.pools {
            Pools::Pg(p) => migrate::run_pg(&mut *p.get()?),
            Pools::Sqlite(p) => migrate::run_sqlite(&mut *p.get()?),
        }
    }

    /// Names of the migrations not yet applied, oldest first; read-only (no DDL).
    pub fn pending_migrations(&self) -> Result<Vec<String>, WarehouseError> {
        match &self.pools {
            Pools::Pg(p) => migrate::pending_pg(&mut *p.get()?),
            Pools::Sqlite(p) => migrate::pending_sqlite(&mut *p.get()?),
        }
    }

    /// Reverts every migration, newest first, leaving an empty database (tests and `down.sql`
    /// checks; never called by a sync). Returns the versions reverted.
    pub fn revert_all_migrations(&self) -> Result<Vec<String>, WarehouseError> {
        match &self.pools {
            Pools::Pg(p) => migrate::revert_all_pg(&mut *p.get()?),
            Pools::Sqlite(p) => migrate::revert_all_sqlite(&mut *p.get()?),
        }
    }

    /// Upserts every row set of `batch` and applies its cursor advances in ONE transaction:
    /// either all of it is stored or none. Idempotent; within a set the last row with a key
    /// wins; nothing is ever deleted.
    pub fn commit(&self, batch: &WriteBatch) -> Result<CommitStats, WarehouseError> {
        let now = to_micros(Utc::now());
        let chunk = self.chunk_rows;
        with_conn!(self, |c| c.write_tx(|c| commit_rows(c, batch, chunk, now)))
    }

    /// The cursor row of `(account_id, stream)`, if any.
    pub fn cursor(
        &self,
        account_id: &(impl AccountKey + ?Sized),
        stream: &(impl StreamKey + ?Sized),
    ) -> Result<Option<CursorState>, WarehouseError> {
        let (account_id, stream) = (account_id.account_key(), stream.stream_key());
        with_conn!(self, |c| cursors::get(c, account_id, stream))
    }

    /// Every cursor row, ordered by `(account_id, stream)`.
    pub fn cursors(&self) -> Result<Vec<CursorState>, WarehouseError> {
        with_conn!(self, |c| cursors::all(c))
    }

    /// Records a failed attempt: `last_attempt_at = now`, `fail_count + 1`, `last_error`;
    /// the cursor is left where it was.
    pub fn record_failure(
        &self,
        account_id: &(impl AccountKey + ?Sized),
        stream: &(impl StreamKey + ?Sized),
        error: &str,
    ) -> Result<(), WarehouseError> {
        let (account_id, stream) = (account_id.account_key(), stream.stream_key());
        let now = to_micros(Utc::now());
        with_conn!(self, |c| Ok(cursors::record_failure(c, account_id, stream, error, now)?))
    }

    /// Claims up to `max` of `candidates` (in their order) for `worker` for `lease`: accounts
    /// nobody holds, whose lease expired, or that `worker` already holds (renewed). Two workers
    /// never get the same account while its lease runs.
    pub fn claim_accounts(
        &self,
        worker: &str,
        candidates: &[impl AccountKey],
        max: usize,
        lease: Duration,
    ) -> Result<Vec<String>, WarehouseError> {
        let candidates: Vec<&str> = candidates.iter().map(AccountKey::account_key).collect();
        let candidates = candidates.as_slice();
        match &self.pools {
            Pools::Pg(p) => leases::claim_pg(&mut *p.get()?, worker, candidates, max, lease),
            Pools::Sqlite(p) => {
                leases::claim_sqlite(&mut *p.get()?, worker, candidates, max, lease, to_micros(Utc::now()))
            }
        }
    }

    /// Gives up `worker`'s lease on `account_id`; a lease held by someone else is left alone.
    pub fn release_lease(
        &self,
        account_id: &(impl AccountKey + ?Sized),
        worker: &str,
    ) -> Result<(), WarehouseError> {
        let account_id = account_id.account_key();
        with_conn!(self, |c| leases::release(c, account_id, worker))
    }

    /// Opens a `sync_runs` row with status `running`; returns its id.
    pub fn start_run(&self) -> Result<i64, WarehouseError> {
        let now = to_micros(Utc::now());
        with_conn!(self, |c| runs::start(c, now))
    }

    /// Closes run `run_id` with `outcome` and `finished_at = now`.
    pub fn finish_run(&self, run_id: i64, outcome: &RunOutcome) -> Result<(), WarehouseError> {
        let now = to_micros(Utc::now());
        with_conn!(self, |c| runs::finish(c, run_id, outcome, now))
    }

    /// The latest `limit` runs, newest first (for `status`).
    pub fn recent_runs(&self, limit: usize) -> Result<Vec<RunRecord>, WarehouseError> {
        with_conn!(self, |c| runs::recent(c, limit))
    }

    /// Every synced table read back as [`crate::model`] rows, sorted by key.
    pub fn snapshot(&self) -> Result<Snapshot, WarehouseError> {
        with_conn!(self, |c| snapshot::read(c))
    }
}

/// Writes every row set of `batch`, then its cursors, on `conn` (the caller holds the
/// transaction).
fn commit_rows<C: Db>(
    conn: &mut C,
    batch: &WriteBatch,
    chunk_rows: Option<usize>,
    now: chrono::DateTime<Utc>,
) -> Result<CommitStats, WarehouseError> {
    let mut stats = CommitStats::default();
    stats.accounts = upsert_set(conn, &batch.accounts, chunk_rows, &mut stats)?;
    stats.campaigns = upsert_set(conn, &batch.campaigns, chunk_rows, &mut stats)?;
    stats.ad_sets = upsert_set(conn, &batch.ad_sets, chunk_rows, &mut stats)?;
    stats.ads = upsert_set(conn, &batch.ads, chunk_rows, &mut stats)?;
    stats.creatives = upsert_set(conn, &batch.creatives, chunk_rows, &mut stats)?;
    stats.insights = upsert_set(conn, &batch.insights, chunk_rows, &mut stats)?;
    stats.cursors = cursors::advance(conn, &batch.cursors, now)?;
    Ok(stats)
}

/// Upserts one row set after dropping rows a later row with the same key overrides.
fn upsert_set<C: Db, R: TableRow>(
    conn: &mut C,
    rows: &[R],
    chunk_rows: Option<usize>,
    stats: &mut CommitStats,
) -> diesel::QueryResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let unique = last_wins(rows);
    stats.duplicates_dropped += (rows.len() - unique.len()) as u64;
    conn.upsert(&unique, chunk_rows)
}

#[cfg(test)]
mod tests {
    #[test]
    fn warehouse_is_send_sync_and_clone() {
        fn assert<T: Send + Sync + Clone + 'static>() {}
        assert::<super::Warehouse>();
    }
}
