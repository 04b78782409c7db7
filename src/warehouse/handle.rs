//! The warehouse handle itself: the pools of one backend and where they point. The operations
//! live with their tables (`leases.rs`, `runs.rs`, `holder.rs`, …) and in `mod.rs`; this file
//! sits below all of them so none imports `mod.rs`.

use std::sync::Arc;

use super::connect::{PgPool, SqlitePool};

/// A handle on the warehouse: a connection pool, cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Warehouse {
    pub(super) pools: Pools,
    /// Rows per statement (SQLite) or per COPY round (PostgreSQL); `None` = backend default.
    pub(super) chunk_rows: Option<usize>,
    /// Where the database is, password removed, for messages.
    pub(super) location: Arc<str>,
}

/// The pool of whichever backend the warehouse uses.
#[derive(Clone)]
pub(super) enum Pools {
    /// PostgreSQL.
    Pg(PgPool),
    /// SQLite.
    Sqlite(SqlitePool),
}

impl std::fmt::Debug for Warehouse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Warehouse")
            .field("backend", &self.backend())
            .field("location", &self.location)
            .finish()
    }
}
