//! Embedded migrations, one set per backend. Concurrent migrators are serialized: a session
//! advisory lock on PostgreSQL, an immediate (write-locking) transaction on SQLite.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationVersion;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::error::WarehouseError;

const PG: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Advisory lock key shared by every `meta-ads-sync` migrator ("mads" in ASCII).
const PG_LOCK_KEY: i64 = 0x6d61_6473;

fn versions(applied: Vec<MigrationVersion<'_>>) -> Vec<String> {
    applied.into_iter().map(|v| v.to_string()).collect()
}

fn migration_error(e: impl std::fmt::Display) -> WarehouseError {
    WarehouseError::Migration(e.to_string())
}

/// Applies pending PostgreSQL migrations under the advisory lock; returns applied versions.
pub(crate) fn run_pg(conn: &mut PgConnection) -> Result<Vec<String>, WarehouseError> {
    conn.batch_execute(&format!("SELECT pg_advisory_lock({PG_LOCK_KEY})"))?;
    let result = conn.run_pending_migrations(PG).map(versions).map_err(migration_error);
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

/// Applies pending SQLite migrations while holding the file's write lock.
pub(crate) fn run_sqlite(conn: &mut SqliteConnection) -> Result<Vec<String>, WarehouseError> {
    conn.immediate_transaction(|c| c.run_pending_migrations(SQLITE).map(versions).map_err(migration_error))
}

/// Reverts every SQLite migration (newest first).
pub(crate) fn revert_all_sqlite(conn: &mut SqliteConnection) -> Result<Vec<String>, WarehouseError> {
    conn.immediate_transaction(|c| c.revert_all_migrations(SQLITE).map(versions).map_err(migration_error))
}
