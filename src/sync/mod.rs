//! The sync engine: plans and runs per-account jobs from the Graph API into the warehouse.

pub mod accounts;
pub mod engine;
pub mod entities;
pub mod insights;
pub mod ledger;
pub mod pager;
pub mod plan;
pub mod progress;
pub mod report;
pub mod requests;
pub mod state;
pub mod streams;
