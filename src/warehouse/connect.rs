//! Opening connection pools, with one-line errors that name the cause and the fix.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{Connection, ConnectionError, PgConnection, SqliteConnection};

use super::error::WarehouseError;
use super::redact::redact_text;

/// Pool of PostgreSQL connections.
pub(crate) type PgPool = Pool<ConnectionManager<PgConnection>>;
/// Pool of SQLite connections to one file.
pub(crate) type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

/// Connections per PostgreSQL pool: the sync engine's account concurrency plus headroom.
const PG_POOL_SIZE: u32 = 10;
/// Connections per SQLite pool: the single writer plus one reader beside it under WAL. Each
/// connection keeps its own page and statement caches, which count in the worker's memory.
const SQLITE_POOL_SIZE: u32 = 2;
/// How long a SQLite writer waits for the file lock before failing with "database is locked".
const SQLITE_BUSY_TIMEOUT_MS: u32 = 30_000;
/// libpq waits forever for an unresponsive host unless told otherwise.
const PG_CONNECT_TIMEOUT_S: u32 = 10;

/// Opens a PostgreSQL pool after proving with one connection that the server is reachable.
pub(crate) fn postgres(url: &str, endpoint: &str) -> Result<PgPool, WarehouseError> {
    let url = with_connect_timeout(url);
    PgConnection::establish(&url).map_err(|e| pg_error(endpoint, &e))?;
    Ok(Pool::builder()
        .max_size(PG_POOL_SIZE)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(30))
        .connection_customizer(Box::new(PgSettings))
        .build_unchecked(ConnectionManager::new(url)))
}

fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout={PG_CONNECT_TIMEOUT_S}")
}

/// `cannot connect to PostgreSQL at host:port: <cause> — <fix>`.
fn pg_error(endpoint: &str, e: &ConnectionError) -> WarehouseError {
    let raw = match e {
        ConnectionError::BadConnection(m) => m.clone(),
        other => other.to_string(),
    };
    let lower = raw.to_ascii_lowercase();
    let quoted = |after: &str| {
        raw.split_once(after)
            .and_then(|(_, rest)| rest.split('"').nth(1))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let (cause, fix) = if lower.contains("connection refused") {
        ("connection refused".to_string(), "is the server running? check warehouse.url".to_string())
    } else if lower.contains("password authentication failed") || lower.contains("no password supplied") {
        ("authentication failed".to_string(), "check the user and password in warehouse.url".to_string())
    } else if lower.contains("database \"") && lower.contains("does not exist") {
        let db = quoted("database ");
        (
            format!("database \"{db}\" does not exist"),
            format!("create it (createdb {db}) or fix warehouse.url"),
        )
    } else if lower.contains("role \"") && lower.contains("does not exist") {
        (format!("role \"{}\" does not exist", quoted("role ")), "fix the user in warehouse.url".to_string())
    } else if lower.contains("could not translate host name") || lower.contains("name or service not known") {
        ("unknown host".to_string(), "check the host in warehouse.url".to_string())
    } else if lower.contains("timeout expired") || lower.contains("timed out") {
        ("connection timed out".to_string(), "is the host reachable? check warehouse.url".to_string())
    } else if lower.contains("no such file or directory") {
        (
            "no server on the local socket".to_string(),
            "is the server running? check warehouse.url".to_string(),
        )
    } else {
        let first = raw.lines().next().unwrap_or("").trim().to_string();
        (first, "check warehouse.url".to_string())
    };
    WarehouseError::Connect(redact_text(&format!(
        "cannot connect to PostgreSQL at {endpoint}: {cause} — {fix}"
    )))
}

/// Per-session PostgreSQL settings. A staging chunk (up to 100,000 rows, ~45 MB) fits in
/// 64 MB of temp buffers instead of spilling to temp files; the memory is only taken by
/// sessions that stage rows. Must be set before the session's first temp table.
#[derive(Debug)]
struct PgSettings;

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for PgSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute("SET temp_buffers = '64MB'").map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Per-connection SQLite settings: wait for the writer lock instead of failing at once, and
/// `synchronous = NORMAL`, which under WAL loses no committed data on a process crash (only on
/// power loss, the last commits) and makes commits cheap.
#[derive(Debug)]
struct SqliteSettings;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqliteSettings {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&sqlite_pragmas()).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// 4 MiB of page cache per connection: upserts arrive in key order, so a small cache keeps the
/// working set, and the operating system caches the file anyway. A larger cache only grew the
/// worker's memory with the warehouse's size (16 MiB: 228 MB peak RSS at 4.2M insight rows,
/// 4 MiB: 165 MB, same speed).
fn sqlite_pragmas() -> String {
    format!(
        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA synchronous = NORMAL; \
         PRAGMA cache_size = -4096; PRAGMA temp_store = MEMORY;"
    )
}

/// Opens (creating if needed) the SQLite file at `path`, switches it to WAL, and pools it.
pub(crate) fn sqlite(path: &str) -> Result<SqlitePool, WarehouseError> {
    let fail = |cause: String| {
        WarehouseError::Connect(format!(
            "cannot open SQLite database at {path}: {cause} — does the directory exist and is it \
             writable? check warehouse.url"
        ))
    };
    let mut conn = SqliteConnection::establish(path).map_err(|e| fail(e.to_string()))?;
    // WAL lets readers work beside the writer; it is a property of the file, set once. The
    // page size only applies to a new, empty file: 16 KiB pages hold ~45 insights rows
    // instead of ~11, so bulk upserts split and rebalance far fewer B-tree pages.
    conn.batch_execute(&format!("PRAGMA page_size = 16384; {} PRAGMA journal_mode = WAL;", sqlite_pragmas()))
        .map_err(|e| fail(e.to_string()))?;
    Ok(Pool::builder()
        .max_size(SQLITE_POOL_SIZE)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(60))
        .connection_customizer(Box::new(SqliteSettings))
        .build_unchecked(ConnectionManager::new(path)))
}
