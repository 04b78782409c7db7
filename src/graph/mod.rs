//! Graph API client: paging, batches, the error-code policy and pacing from usage headers.

pub mod auth;
pub mod backoff;
pub mod budget;
pub mod classify;
pub mod error;
pub mod pacing;
pub mod usage;

pub use error::GraphError;
