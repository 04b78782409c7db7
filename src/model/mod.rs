//! Warehouse row types: the contract between `mapping` (which builds them from Graph API
//! payloads) and `warehouse` (which upserts them). Plain data, no I/O.
//!
//! Money is exact (`Decimal`) and in currency units (USD 50.00, JPY 5000), timestamps are UTC,
//! insight dates are the day Meta reports in the ad account's time zone.
//!
//! Each row struct is declared together with its table's description ([`table`]): adding a
//! column to a synced table is a field here, the two migrations and the mapping.

mod json;
mod level;
mod rows;
pub mod table;

pub use json::JsonText;
pub use level::InsightLevel;
pub use rows::{AdAccountRow, AdCreativeRow, AdRow, AdSetRow, CampaignRow, InsightRow};
