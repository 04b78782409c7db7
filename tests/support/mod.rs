//! The one support module of every test binary that needs one. A binary `tests/<binary>.rs`
//! holds `mod support;` and, when it has more than one file, `mod <binary> { mod a; … }` with
//! the files in `tests/<binary>/`; its tests import `crate::support::<role>::…`. Each binary
//! uses a part of this module, hence the `dead_code` allowance.
//!
//! - `sim`: the parameterised test world, starting a simulator, HTTP helpers ([`sim::Env`]).
//! - `client`: Graph clients on a running simulator, fast test settings, request-log queries.
//! - `sync`: the sync world, a worker config for a simulator, one pass, truth comparison.
//! - `backends`: per-backend test macros (PostgreSQL and SQLite).
//! - `rows`: warehouse row fixtures; `raw`: raw SQL access to a test database.
//! - `hostile`: a tiny hostile HTTP server; `fake_graph`: an in-process fake of the Graph port.
//! - `cli`: running the real binary and reading what it printed.
#![allow(dead_code)]

pub mod backends;
pub mod cli;
pub mod client;
pub mod fake_graph;
pub mod hostile;
pub mod raw;
pub mod rows;
pub mod sim;
pub mod sync;
