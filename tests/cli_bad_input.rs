//! Bad input at the command line never panics, leaks or destroys: the real binary against the
//! simulator over loopback, real SQLite files and real pipes.

#[path = "cli_bad_input/support.rs"]
mod support;

#[path = "cli_bad_input/base_url.rs"]
mod base_url;
#[path = "cli_bad_input/cursors.rs"]
mod cursors;
#[path = "cli_bad_input/demo_db.rs"]
mod demo_db;
#[path = "cli_bad_input/output.rs"]
mod output;
#[path = "cli_bad_input/pipes.rs"]
mod pipes;
