//! Graph Marketing API simulator: a stateful, deterministic Meta Ads world served over HTTP on
//! loopback, for tests, the `demo` command and benchmarks.
//!
//! Start one with [`SimServer::start`]; point a client at [`SimServer::base_url`]; drive the
//! world with [`Sim`] ([`Sim::mutate`], [`Sim::inject`], [`Sim::truth`], [`Sim::stats`]).
//! Wire behaviour follows Meta's documented behaviour (docs/graph-api.md); see `docs/simulator.md` for the fidelity
//! choices.

#![warn(missing_docs)]

mod async_jobs;
mod auth;
mod batch;
mod catalog;
mod clock;
mod config;
mod control;
mod core;
mod ctx;
mod dispatch;
mod errors;
mod faults;
mod fields;
mod filtering;
mod generate;
mod handlers;
mod hash;
mod ids;
mod insights;
mod jobs;
mod json;
mod limits;
mod listings;
mod mutations;
mod names;
mod oauth;
mod paging;
mod params;
mod render;
mod request;
mod routes;
mod serve_insights;
mod server;
mod stats;
mod truth;
mod users;
mod versions;
mod world;

pub use auth::proof as appsecret_proof;
pub use config::{AccessTier, SimConfig, SimLimits};
pub use core::Sim;
pub use faults::{Fault, FaultRule, Trigger};
pub use mutations::{Mutation, MutationError};
pub use server::SimServer;
pub use stats::{RequestLog, SimStats};
pub use truth::{Truth, TruthQuery};
