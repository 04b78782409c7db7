//! Warehouse integration tests: real PostgreSQL (a fresh database per test via
//! `warehouse::testing::TestDb`) and real SQLite files. Every behaviour runs on both backends.

mod support;

mod warehouse {
    mod connect;
    mod cursors;
    mod failure;
    mod leases;
    mod migrations;
    mod schema;
    mod snapshot;
    mod upsert;
}
