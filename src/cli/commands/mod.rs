//! One file per command.

pub mod check;
pub mod demo;
pub mod demo_db;
pub mod migrate;
pub mod status;
pub mod sync;

use crate::cli::exit;
use crate::warehouse::{Warehouse, WarehouseError};

/// A command's failure: the message for the user and the exit code.
#[derive(Debug)]
pub struct CommandError {
    /// Exit code (see [`crate::cli::exit`]).
    pub code: u8,
    /// One line naming the cause and the fix.
    pub message: String,
}

impl CommandError {
    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self { code: exit::USAGE, message: message.into() }
    }

    /// An operational failure (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Self { code: exit::PARTIAL_FAILURE, message: message.into() }
    }
}

/// Opens the warehouse: a malformed URL is a configuration error, an unreachable database an
/// operational one.
pub fn open_warehouse(url: &str) -> Result<Warehouse, CommandError> {
    Warehouse::connect(url).map_err(|e| match e {
        WarehouseError::InvalidUrl(_) => CommandError::usage(e.to_string()),
        other => CommandError::failed(other.to_string()),
    })
}

/// Peak resident memory of this process in KiB (`VmHWM`), on Linux.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak memory for a summary line, e.g. `42 MB`.
pub fn peak_rss_text() -> String {
    peak_rss_kib().map(|kb| format!("{:.0} MB", kb as f64 / 1024.0)).unwrap_or_else(|| "n/a".to_string())
}
