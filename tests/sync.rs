//! End-to-end sync tests: the simulator over real HTTP, real SQLite files and real PostgreSQL
//! databases; whole warehouse tables are compared with the simulator's ground truth.

mod sync {
    pub mod common;
    mod e2e;
    mod faults;
    mod incremental;
    mod kill;
    mod secrets;
}
