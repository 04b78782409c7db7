//! Insights: lazily computed daily delivery per ad, aggregated to every level on demand.

pub(crate) mod dates;
pub(crate) mod derived;
pub(crate) mod engine;
pub(crate) mod metrics;
pub(crate) mod query;
pub(crate) mod row;
pub(crate) mod sort;
pub(crate) mod windows;
