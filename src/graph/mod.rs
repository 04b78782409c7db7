//! Graph API client: paging, batches, the error-code policy and pacing from usage headers.
//!
//! One role per file: `classify` (the pure error-code policy), `usage` (usage headers),
//! `budget` (sliding-window call budgets), `pacing` (slow-down and stops from usage),
//! `backoff`, `auth` (tokens, `appsecret_proof`), `transport` (one HTTP attempt), `retry`
//! (carrying a decision out), `client` (`call`), `paging`, `batch`, `report_run`.

pub mod auth;
pub mod backoff;
pub mod batch;
pub mod budget;
pub mod classify;
pub mod client;
pub mod error;
pub mod pacing;
pub mod paging;
pub mod report_run;
pub mod request;
mod retry;
pub mod stats;
pub mod transport;
pub mod usage;

pub use auth::{StaticToken, TokenSource};
pub use client::{GraphClient, MAX_BATCH_SIZE};
pub use error::{GraphError, ReportRunFailure};
pub use request::{CallKind, GraphRequest, Method};
pub use retry::MIN_PAGE_LIMIT;
pub use stats::{ClientStats, SkippedItem};
