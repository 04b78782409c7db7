//! The sync engine: plans and runs per-account jobs from the Graph API into the warehouse.
//!
//! Layers, each file depending only on those above it: pure planning (`plan`, `ledger`,
//! `requests`), data (`errors`, `report`, `progress`), the ports the engine needs from outside
//! (`ports`) and their real implementations (`adapters`), the batched pager (`pager`), run
//! state (`state`), the phases (`accounts`, `entities`, `insights`) and the pass (`engine`).
//! Nothing here draws on a terminal or knows exit codes: that is `crate::cli`.

pub mod accounts;
pub mod adapters;
pub mod engine;
pub mod entities;
pub mod errors;
pub mod holder;
pub mod insights;
pub mod ledger;
pub mod pager;
pub mod plan;
pub mod ports;
pub mod progress;
pub mod report;
pub mod requests;
pub mod shutdown;
pub mod state;
