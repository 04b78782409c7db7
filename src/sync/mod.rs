//! The sync engine: plans and runs per-account jobs from the Graph API into the warehouse.

pub mod ledger;
pub mod plan;
pub mod report;
pub mod streams;
