//! Graph API client: paging, batches, the error-code policy and pacing from usage headers.
//!
//! One role per file: `options` (settings and defaults), `classify` (the pure error-code
//! policy), `retry` (the pure next step after a failure), `usage` (usage headers), `budget`
//! (sliding-window call budgets), `pacing` (slow-down and stops from usage), `gate` (pacing and
//! budgets before each send), `backoff`, `auth` (tokens, refresh, `appsecret_proof`, scrubbing),
//! `transport` (one HTTP attempt, body limits), `fault` and `body` (how an answer reads),
//! `client` (`call`: performing the steps), `paging`, `batch`, `report_run`, `stats`.

pub mod auth;
pub mod backoff;
pub mod batch;
pub mod body;
pub mod budget;
pub mod classify;
pub mod client;
pub mod error;
pub mod fault;
mod gate;
pub mod options;
pub mod pacing;
pub mod paging;
pub mod report_run;
pub mod request;
mod retry;
pub mod stats;
pub mod transport;
pub mod usage;

pub use auth::{StaticToken, TokenSource};
pub use client::GraphClient;
pub use error::{GraphError, ReportRunFailure};
pub use options::{GraphOptions, MAX_BATCH_SIZE};
pub use request::{CallKind, GraphRequest, Method};
pub use retry::MIN_PAGE_LIMIT;
pub use stats::{ClientStats, SkippedItem};
