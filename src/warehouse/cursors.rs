//! `sync_cursors`: advancing cursors inside a commit, recording failures, reading state.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Integer, Nullable, Text};

use super::codec::{parse_timestamp, timestamp_text};
use super::db::{Bind, Db};
use super::dialect::ts;
use super::error::WarehouseError;
use super::types::{CursorAdvance, CursorState};

const ADVANCE: &str = "INSERT INTO sync_cursors \
     (account_id, stream, cursor, last_success_at, last_attempt_at, fail_count, last_error) \
     VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz, 0, NULL) \
     ON CONFLICT (account_id, stream) DO UPDATE SET cursor = excluded.cursor, \
     last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at, \
     fail_count = 0, last_error = NULL";

const FAILURE: &str = "INSERT INTO sync_cursors \
     (account_id, stream, last_attempt_at, fail_count, last_error) \
     VALUES ($1, $2, $3::timestamptz, 1, $4) \
     ON CONFLICT (account_id, stream) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, \
     fail_count = sync_cursors.fail_count + 1, last_error = excluded.last_error";

/// Applies cursor advances on `conn`, inside the caller's transaction.
pub(crate) fn advance<C: Db>(
    conn: &mut C,
    advances: &[CursorAdvance],
    now: DateTime<Utc>,
) -> diesel::QueryResult<u64> {
    let now = timestamp_text(&now);
    for a in advances {
        conn.exec(
            ADVANCE,
            vec![
                Bind::Text(a.account_id.clone()),
                Bind::Text(a.stream.clone()),
                Bind::Text(a.cursor.clone()),
                Bind::Text(now.clone()),
            ],
        )?;
    }
    Ok(advances.len() as u64)
}

/// Counts one failed attempt of `(account_id, stream)`; the cursor stays where it was.
pub(crate) fn record_failure<C: Db>(
    conn: &mut C,
    account_id: &str,
    stream: &str,
    error: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    conn.exec(
        FAILURE,
        vec![
            Bind::Text(account_id.into()),
            Bind::Text(stream.into()),
            Bind::Text(timestamp_text(&now)),
            Bind::Text(error.into()),
        ],
    )?;
    Ok(())
}

#[derive(QueryableByName)]
struct CursorText {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    stream: String,
    #[diesel(sql_type = Nullable<Text>)]
    cursor: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    last_success_at: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    last_attempt_at: Option<String>,
    #[diesel(sql_type = Integer)]
    fail_count: i32,
    #[diesel(sql_type = Nullable<Text>)]
    last_error: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    lease_owner: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    lease_expires_at: Option<String>,
}

fn opt_ts(column: &'static str, v: Option<String>) -> Result<Option<DateTime<Utc>>, WarehouseError> {
    v.map(|s| parse_timestamp("sync_cursors", column, &s)).transpose()
}

impl TryFrom<CursorText> for CursorState {
    type Error = WarehouseError;
    fn try_from(r: CursorText) -> Result<Self, WarehouseError> {
        Ok(CursorState {
            account_id: r.account_id,
            stream: r.stream,
            cursor: r.cursor,
            last_success_at: opt_ts("last_success_at", r.last_success_at)?,
            last_attempt_at: opt_ts("last_attempt_at", r.last_attempt_at)?,
            fail_count: r.fail_count,
            last_error: r.last_error,
            lease_owner: r.lease_owner,
            lease_expires_at: opt_ts("lease_expires_at", r.lease_expires_at)?,
        })
    }
}

fn select<C: Db>() -> String {
    let b = C::BACKEND;
    format!(
        "SELECT account_id, stream, cursor, {}, {}, fail_count, last_error, lease_owner, {} \
         FROM sync_cursors",
        ts(b, "last_success_at"),
        ts(b, "last_attempt_at"),
        ts(b, "lease_expires_at")
    )
}

/// One cursor row, if it exists.
pub(crate) fn get<C: Db>(
    conn: &mut C,
    account_id: &str,
    stream: &str,
) -> Result<Option<CursorState>, WarehouseError> {
    let sql = format!("{} WHERE account_id = $1 AND stream = $2", select::<C>());
    let rows: Vec<CursorText> =
        conn.load(&sql, vec![Bind::Text(account_id.into()), Bind::Text(stream.into())])?;
    rows.into_iter().next().map(CursorState::try_from).transpose()
}

/// Every cursor row, ordered by `(account_id, stream)`.
pub(crate) fn all<C: Db>(conn: &mut C) -> Result<Vec<CursorState>, WarehouseError> {
    let rows: Vec<CursorText> =
        conn.load(&format!("{} ORDER BY account_id, stream", select::<C>()), vec![])?;
    let mut out = rows.into_iter().map(CursorState::try_from).collect::<Result<Vec<_>, _>>()?;
    // Byte order, not the database collation, so both backends agree.
    out.sort_by(|a, b| (&a.account_id, &a.stream).cmp(&(&b.account_id, &b.stream)));
    Ok(out)
}
