//! The `meta-ads-sync` command line: argument parsing, logging and dispatch to the modes.

mod args;
pub mod commands;
pub mod console;
pub mod exit;
mod logging;
pub mod progress_line;

pub use args::{Cli, Command, DemoArgs, SyncArgs};
pub use logging::{STATUS_LINE, init as init_logging};
