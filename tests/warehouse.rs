//! Warehouse integration tests: real PostgreSQL (a fresh database per test via
//! `warehouse::testing::TestDb`) and real SQLite files. Every behaviour runs on both backends.

#[path = "warehouse/fixtures.rs"]
mod fixtures;

#[path = "warehouse/connect.rs"]
mod connect;
#[path = "warehouse/cursors.rs"]
mod cursors;
#[path = "warehouse/failure.rs"]
mod failure;
#[path = "warehouse/leases.rs"]
mod leases;
#[path = "warehouse/migrations.rs"]
mod migrations;
#[path = "warehouse/schema.rs"]
mod schema;
#[path = "warehouse/snapshot.rs"]
mod snapshot;
#[path = "warehouse/upsert.rs"]
mod upsert;
