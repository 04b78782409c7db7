//! Sync tests: end to end against the simulator over real HTTP, real SQLite files and real
//! PostgreSQL databases (whole warehouse tables compared with the simulator's ground truth);
//! the engine through an in-process fake of the Graph API into real SQLite files
//! (`engine_fake`); the engine's file structure (`layout`).

mod support;

mod sync {
    mod e2e;
    mod engine_fake;
    mod faults;
    mod foreign_account;
    mod incremental;
    mod kill;
    mod layout;
    mod secrets;
    mod signals;
}
