//! The SQL warehouse: schema, migrations, idempotent bulk upserts, cursors and leases on
//! PostgreSQL and SQLite through diesel.
