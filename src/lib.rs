//! meta-ads-sync: keeps a SQL warehouse (PostgreSQL or SQLite) in step with Meta Ads.
//!
//! Components, one folder each: `graph` (the API client), `mapping` (pure payload → row
//! functions), `ids` (typed account ids, streams and cursors), `warehouse` (schema, upserts, cursors, leases), `sync` (planning and running
//! jobs), `sim` (the Graph API simulator) and `config`.

pub mod cli;
pub mod config;
pub mod graph;
pub mod ids;
pub mod mapping;
pub mod model;
pub mod sim;
pub mod sync;
pub mod warehouse;
