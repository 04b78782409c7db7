//! Errors of the warehouse layer. Messages are one line and never contain a password.

/// What went wrong talking to the warehouse.
#[derive(Debug, thiserror::Error)]
pub enum WarehouseError {
    /// `warehouse.url` is not a URL this worker understands; the message says what is expected.
    #[error("{0}")]
    InvalidUrl(String),
    /// The database cannot be reached or opened; the message names the cause and the fix.
    #[error("{0}")]
    Connect(String),
    /// A migration failed to apply or revert.
    #[error("migration failed: {0}")]
    Migration(String),
    /// No pooled connection became available.
    #[error("no warehouse connection available: {0}")]
    Pool(String),
    /// A statement failed (constraint violation, lost connection, ...).
    #[error("warehouse query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// A stored value could not be read back as the row type expects.
    #[error("unreadable value in {table}.{column}: {detail}")]
    Corrupt {
        /// Table read.
        table: &'static str,
        /// Column read.
        column: &'static str,
        /// What was wrong with it.
        detail: String,
    },
    /// The caller passed something the warehouse cannot store.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl From<diesel::r2d2::PoolError> for WarehouseError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        WarehouseError::Pool(super::redact::redact_text(&e.to_string()))
    }
}
