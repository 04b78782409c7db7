//! The one support module of every test binary, included as `mod support;` from
//! `tests/<binary>.rs`. Submodules by role; each binary uses a part of it.
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
