//! Account leases for several workers, held on the `(account_id, 'account')` row of
//! `sync_cursors`. PostgreSQL claims with `FOR UPDATE SKIP LOCKED` against the server clock;
//! SQLite has one writer at a time (`BEGIN IMMEDIATE`), so a plain read-then-update is safe.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::sql_types::Text;
use diesel::{PgConnection, QueryableByName, SqliteConnection};

use super::codec::timestamp_text;
use super::db::{Bind, Db};
use super::error::WarehouseError;

/// The stream whose cursor row carries an account's lease.
pub const LEASE_STREAM: &str = "account";

// `WHERE true` keeps SQLite's parser from reading ON CONFLICT as a join constraint.
const PG_CANDIDATES: &str = "INSERT INTO sync_cursors (account_id, stream) \
     SELECT value, 'account' FROM json_array_elements_text($1::json) WHERE true \
     ON CONFLICT (account_id, stream) DO NOTHING";

const PG_CLAIM: &str = "WITH cand AS ( \
         SELECT value AS account_id, ord FROM json_array_elements_text($1::json) WITH ORDINALITY AS t(value, ord)), \
     picked AS ( \
         SELECT c.account_id FROM sync_cursors c JOIN cand ON cand.account_id = c.account_id \
         WHERE c.stream = 'account' \
           AND (c.lease_owner IS NULL OR c.lease_owner = $2 OR c.lease_expires_at <= now()) \
         ORDER BY cand.ord LIMIT $3 \
         FOR UPDATE OF c SKIP LOCKED) \
     UPDATE sync_cursors s SET lease_owner = $2, \
         lease_since = CASE WHEN s.lease_owner = $2 THEN COALESCE(s.lease_since, now()) ELSE now() END, \
         lease_expires_at = now() + make_interval(secs => $4::float8 / 1000000.0) \
     FROM picked WHERE s.account_id = picked.account_id AND s.stream = 'account' \
     RETURNING s.account_id";

const SQLITE_CANDIDATES: &str = "INSERT INTO sync_cursors (account_id, stream) \
     SELECT value, 'account' FROM json_each(?1) WHERE true \
     ON CONFLICT (account_id, stream) DO NOTHING";

const SQLITE_CLAIM: &str = "UPDATE sync_cursors SET lease_owner = ?2, lease_expires_at = ?4, \
         lease_since = CASE WHEN lease_owner = ?2 THEN COALESCE(lease_since, ?5) ELSE ?5 END \
     WHERE stream = 'account' AND account_id IN ( \
         SELECT c.account_id FROM sync_cursors c JOIN json_each(?1) j ON j.value = c.account_id \
         WHERE c.stream = 'account' \
           AND (c.lease_owner IS NULL OR c.lease_owner = ?2 OR c.lease_expires_at <= ?5) \
         ORDER BY j.key LIMIT ?3) \
     RETURNING account_id";

const RELEASE: &str = "UPDATE sync_cursors SET lease_owner = NULL, lease_expires_at = NULL, lease_since = NULL \
     WHERE account_id = $1 AND stream = 'account' AND lease_owner = $2";

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Text)]
    account_id: String,
}

/// Candidates without duplicates, first occurrence kept, as a JSON array (one bind on both
/// backends, read back with `json_array_elements_text` / `json_each`).
fn candidates_json(candidates: &[&str]) -> (Vec<String>, String) {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<String> = candidates.iter().filter(|c| seen.insert(**c)).map(|c| c.to_string()).collect();
    let json = serde_json::to_string(&unique).expect("strings serialize");
    (unique, json)
}

/// Claimed ids in candidate order.
fn in_order(unique: &[String], claimed: Vec<Claimed>) -> Vec<String> {
    let claimed: std::collections::HashSet<String> = claimed.into_iter().map(|c| c.account_id).collect();
    unique.iter().filter(|c| claimed.contains(*c)).cloned().collect()
}

fn lease_micros(lease: Duration) -> i64 {
    i64::try_from(lease.as_micros()).unwrap_or(i64::MAX)
}

/// Claims up to `max` of `candidates` for `worker` on PostgreSQL.
pub(crate) fn claim_pg(
    conn: &mut PgConnection,
    worker: &str,
    candidates: &[&str],
    max: usize,
    lease: Duration,
) -> Result<Vec<String>, WarehouseError> {
    let (unique, json) = candidates_json(candidates);
    if unique.is_empty() || max == 0 {
        return Ok(Vec::new());
    }
    // Its own statement, so the new rows are visible (and unlocked) before anyone claims.
    conn.exec(PG_CANDIDATES, vec![Bind::Text(json.clone())])?;
    let claimed: Vec<Claimed> = conn.write_tx(|c| {
        c.load(
            PG_CLAIM,
            vec![
                Bind::Text(json),
                Bind::Text(worker.into()),
                Bind::Int(i64::try_from(max).unwrap_or(i64::MAX)),
                Bind::Int(lease_micros(lease)),
            ],
        )
    })?;
    Ok(in_order(&unique, claimed))
}

/// Claims up to `max` of `candidates` for `worker` on SQLite, under the write lock.
pub(crate) fn claim_sqlite(
    conn: &mut SqliteConnection,
    worker: &str,
    candidates: &[&str],
    max: usize,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<String>, WarehouseError> {
    let (unique, json) = candidates_json(candidates);
    if unique.is_empty() || max == 0 {
        return Ok(Vec::new());
    }
    let expires = chrono::TimeDelta::from_std(lease)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let claimed: Vec<Claimed> = conn.write_tx(|c| {
        c.exec(SQLITE_CANDIDATES, vec![Bind::Text(json.clone())])?;
        c.load(
            SQLITE_CLAIM,
            vec![
                Bind::Text(json),
                Bind::Text(worker.into()),
                Bind::Int(i64::try_from(max).unwrap_or(i64::MAX)),
                Bind::Text(timestamp_text(&expires)),
                Bind::Text(timestamp_text(&now)),
            ],
        )
    })?;
    Ok(in_order(&unique, claimed))
}

/// Gives up `worker`'s lease on `account_id` (no-op when another worker holds it).
pub(crate) fn release<C: Db>(conn: &mut C, account_id: &str, worker: &str) -> Result<(), WarehouseError> {
    conn.exec(RELEASE, vec![Bind::Text(account_id.into()), Bind::Text(worker.into())])?;
    Ok(())
}

// The lease of an account whose holder lock this worker just took: whoever the row names is
// gone (its lock died with it), so the row is this worker's whatever its expiry says.
const PG_TAKE_OVER: &str = "UPDATE sync_cursors SET lease_owner = $2, \
         lease_since = CASE WHEN lease_owner = $2 THEN COALESCE(lease_since, now()) ELSE now() END, \
         lease_expires_at = now() + make_interval(secs => $3::float8 / 1000000.0) \
     WHERE stream = 'account' AND account_id IN (SELECT value FROM json_array_elements_text($1::json)) \
     RETURNING account_id";

const SQLITE_TAKE_OVER: &str = "UPDATE sync_cursors SET lease_owner = ?2, lease_expires_at = ?3, \
         lease_since = CASE WHEN lease_owner = ?2 THEN COALESCE(lease_since, ?4) ELSE ?4 END \
     WHERE stream = 'account' AND account_id IN (SELECT value FROM json_each(?1)) \
     RETURNING account_id";

/// Makes `worker` the lease holder of `accounts` (whose holder locks it holds), whoever the rows
/// named before; returns them in order.
pub(crate) fn take_over_pg(
    conn: &mut PgConnection,
    worker: &str,
    accounts: &[&str],
    lease: Duration,
) -> Result<Vec<String>, WarehouseError> {
    let (unique, json) = candidates_json(accounts);
    if unique.is_empty() {
        return Ok(Vec::new());
    }
    conn.exec(PG_CANDIDATES, vec![Bind::Text(json.clone())])?;
    let rows: Vec<Claimed> = conn.load(
        PG_TAKE_OVER,
        vec![Bind::Text(json), Bind::Text(worker.into()), Bind::Int(lease_micros(lease))],
    )?;
    Ok(in_order(&unique, rows))
}

/// [`take_over_pg`] on SQLite, under the write lock.
pub(crate) fn take_over_sqlite(
    conn: &mut SqliteConnection,
    worker: &str,
    accounts: &[&str],
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<String>, WarehouseError> {
    let (unique, json) = candidates_json(accounts);
    if unique.is_empty() {
        return Ok(Vec::new());
    }
    let expires = chrono::TimeDelta::from_std(lease)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let rows: Vec<Claimed> = conn.write_tx(|c| {
        c.exec(SQLITE_CANDIDATES, vec![Bind::Text(json.clone())])?;
        c.load(
            SQLITE_TAKE_OVER,
            vec![
                Bind::Text(json),
                Bind::Text(worker.into()),
                Bind::Text(timestamp_text(&expires)),
                Bind::Text(timestamp_text(&now)),
            ],
        )
    })?;
    Ok(in_order(&unique, rows))
}

/// One lease row that names a holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseRow {
    /// The ad account.
    pub account_id: String,
    /// Who the row names (`host:pid`).
    pub owner: String,
    /// Since when that holder has it (`None` for rows written before this was recorded).
    pub since: Option<DateTime<Utc>>,
    /// When the time-based lease lapses.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(QueryableByName)]
struct LeaseText {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    lease_owner: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    lease_since: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    lease_expires_at: Option<String>,
}

/// Every lease row that names a holder, by account.
pub(crate) fn named<C: Db>(conn: &mut C) -> Result<Vec<LeaseRow>, WarehouseError> {
    let b = C::BACKEND;
    let sql = format!(
        "SELECT account_id, lease_owner, {}, {} FROM sync_cursors \
         WHERE stream = 'account' AND lease_owner IS NOT NULL ORDER BY account_id",
        super::dialect::ts(b, "lease_since"),
        super::dialect::ts(b, "lease_expires_at")
    );
    let rows: Vec<LeaseText> = conn.load(&sql, Vec::new())?;
    let ts = |col: &'static str, v: Option<String>| {
        v.map(|s| super::codec::parse_timestamp("sync_cursors", col, &s)).transpose()
    };
    rows.into_iter()
        .map(|r| {
            Ok(LeaseRow {
                since: ts("lease_since", r.lease_since)?,
                expires_at: ts("lease_expires_at", r.lease_expires_at)?,
                account_id: r.account_id,
                owner: r.lease_owner,
            })
        })
        .collect()
}

impl super::handle::Warehouse {
    /// Makes `worker` the lease holder of `accounts`, whose holder locks (see
    /// [`super::HolderLocks`]) it has just taken: their previous holder is dead, whatever the
    /// lease's expiry says. Returns the accounts in order.
    pub fn take_over_leases(
        &self,
        worker: &str,
        accounts: &[&str],
        lease: Duration,
    ) -> Result<Vec<String>, WarehouseError> {
        match &self.pools {
            super::handle::Pools::Pg(p) => take_over_pg(&mut *p.get()?, worker, accounts, lease),
            super::handle::Pools::Sqlite(p) => {
                take_over_sqlite(&mut *p.get()?, worker, accounts, lease, super::codec::to_micros(Utc::now()))
            }
        }
    }

    /// Every lease row that names a holder (alive or not: see [`super::Warehouse::lock_is_held`]).
    pub fn named_leases(&self) -> Result<Vec<LeaseRow>, WarehouseError> {
        match &self.pools {
            super::handle::Pools::Pg(p) => named(&mut *p.get()?),
            super::handle::Pools::Sqlite(p) => named(&mut *p.get()?),
        }
    }
}
