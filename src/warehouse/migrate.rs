//! Embedded migrations, one set per backend. Concurrent migrators are serialized: a session
//! advisory lock on PostgreSQL, an immediate (write-locking) transaction on SQLite. Every
//! pending migration runs in ONE transaction (PostgreSQL DDL is transactional): a failure
//! leaves no part of any of them behind, e.g. on a foreign database that already has a
//! `campaigns` table of its own. With nothing pending no DDL is issued at all, so a role with
//! only SELECT/INSERT/UPDATE/DELETE can run with `warehouse.migrate_on_start`.

use diesel::connection::SimpleConnection;
use diesel::migration::{MigrationSource, MigrationVersion};
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::error::WarehouseError;

const PG: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Advisory lock key shared by every `meta-ads-sync` migrator ("mads" in ASCII).
const PG_LOCK_KEY: i64 = 0x6d61_6473;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

fn versions(applied: Vec<MigrationVersion<'_>>) -> Vec<String> {
    applied.into_iter().map(|v| v.to_string()).collect()
}

fn migration_error(e: impl std::fmt::Display) -> WarehouseError {
    WarehouseError::Migration(e.to_string())
}

/// Names (`2026-01-01-000001_entities`) of the migrations of `source` whose version is not in
/// `applied`, oldest first.
fn not_applied<DB: diesel::backend::Backend>(
    source: &dyn MigrationSource<DB>,
    applied: &[String],
) -> Result<Vec<String>, WarehouseError> {
    let mut names: Vec<String> = source
        .migrations()
        .map_err(migration_error)?
        .iter()
        .filter(|m| !applied.contains(&m.name().version().to_string()))
        .map(|m| m.name().to_string())
        .collect();
    names.sort();
    Ok(names)
}

/// Applied versions, read without creating diesel's bookkeeping table (diesel's own harness
/// creates it first, which is DDL).
macro_rules! applied_versions {
    ($conn:expr, $exists_sql:expr) => {{
        let exists = diesel::sql_query($exists_sql).load::<Count>($conn)?.first().is_some_and(|c| c.n > 0);
        if exists {
            diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
                .load::<Version>($conn)?
                .into_iter()
                .map(|v| v.version)
                .collect::<Vec<String>>()
        } else {
            Vec::new()
        }
    }};
}

/// Pending PostgreSQL migrations, by name, oldest first. Read-only.
pub(crate) fn pending_pg(conn: &mut PgConnection) -> Result<Vec<String>, WarehouseError> {
    let applied = applied_versions!(
        conn,
        "SELECT COUNT(*) AS n FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace \
         WHERE c.relname = '__diesel_schema_migrations' AND s.nspname = ANY (current_schemas(false))"
    );
    not_applied::<diesel::pg::Pg>(&PG, &applied)
}

/// Pending SQLite migrations, by name, oldest first. Read-only.
pub(crate) fn pending_sqlite(conn: &mut SqliteConnection) -> Result<Vec<String>, WarehouseError> {
    let applied = applied_versions!(
        conn,
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__diesel_schema_migrations'"
    );
    not_applied::<diesel::sqlite::Sqlite>(&SQLITE, &applied)
}

/// Applies pending PostgreSQL migrations under the advisory lock, all in one transaction;
/// returns applied versions.
pub(crate) fn run_pg(conn: &mut PgConnection) -> Result<Vec<String>, WarehouseError> {
    if pending_pg(conn)?.is_empty() {
        return Ok(Vec::new());
    }
    conn.batch_execute(&format!("SELECT pg_advisory_lock({PG_LOCK_KEY})"))?;
    // diesel runs each migration in a savepoint of this transaction, so the first failure
    // rolls back the migrations before it too.
    let result = conn
        .transaction::<_, WarehouseError, _>(|c| {
            c.run_pending_migrations(PG).map(versions).map_err(migration_error)
        })
        .map_err(|e| match e {
            WarehouseError::Migration(m) => WarehouseError::Migration(format!(
                "{m}; nothing was applied (every pending migration is rolled back together): \
                 is this database used by something else?"
            )),
            other => other,
        });
    // The lock is per session and the connection returns to the pool: always release it.
    let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({PG_LOCK_KEY})"));
    let applied = result?;
    unlocked?;
    Ok(applied)
}

/// Reverts every PostgreSQL migration (newest first); returns the reverted versions.
pub(crate) fn revert_all_pg(conn: &mut PgConnection) -> Result<Vec<String>, WarehouseError> {
    conn.batch_execute(&format!("SELECT pg_advisory_lock({PG_LOCK_KEY})"))?;
    let result = conn.revert_all_migrations(PG).map(versions).map_err(migration_error);
    let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({PG_LOCK_KEY})"));
    let reverted = result?;
    unlocked?;
    Ok(reverted)
}

/// Applies pending SQLite migrations while holding the file's write lock (one transaction).
pub(crate) fn run_sqlite(conn: &mut SqliteConnection) -> Result<Vec<String>, WarehouseError> {
    if pending_sqlite(conn)?.is_empty() {
        return Ok(Vec::new());
    }
    conn.immediate_transaction(|c| c.run_pending_migrations(SQLITE).map(versions).map_err(migration_error))
}

/// Reverts every SQLite migration (newest first).
pub(crate) fn revert_all_sqlite(conn: &mut SqliteConnection) -> Result<Vec<String>, WarehouseError> {
    conn.immediate_transaction(|c| c.revert_all_migrations(SQLITE).map(versions).map_err(migration_error))
}
