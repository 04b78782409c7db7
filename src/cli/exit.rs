//! Process exit codes, part of the CronJob contract.

/// Everything succeeded.
pub const OK: u8 = 0;
/// Some accounts failed; the others committed.
pub const PARTIAL_FAILURE: u8 = 1;
/// Invalid configuration or usage, or a command that cannot run here.
pub const USAGE: u8 = 2;
/// An account needs re-authorization (token revoked, permission missing).
pub const NEEDS_REAUTH: u8 = 3;
