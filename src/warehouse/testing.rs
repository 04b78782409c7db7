//! Test support: a fresh, private database per test, removed when dropped. No state is shared
//! between tests, so they run in parallel. Compiled only with the `test-support` feature, which
//! the crate's dev-dependency on itself turns on for its tests and benches (and `cfg(test)`), so
//! the shipped binary does not carry it.
//!
//! ```no_run
//! use meta_ads_sync::warehouse::testing::TestDb;
//! let db = TestDb::postgres();
//! let wh = db.migrated();
//! ```

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use super::WarehouseError;
use super::handle::{Pools, Warehouse};
use super::redact::redact;
use crate::model::InsightRow;

/// Admin URL used to create and drop test databases unless `TEST_DATABASE_URL` says otherwise.
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A throw-away warehouse database: a new PostgreSQL database or a new SQLite file.
#[derive(Debug)]
pub struct TestDb {
    url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Postgres { admin_url: String, name: String },
    Sqlite { dir: PathBuf },
}

impl TestDb {
    /// Creates a uniquely named database through the admin URL (env `TEST_DATABASE_URL`,
    /// default [`DEFAULT_ADMIN_URL`]). Panics with the reason when the server is unavailable.
    pub fn postgres() -> TestDb {
        let admin_url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string());
        let name = format!("mas_test_{}", unique_suffix());
        let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
            panic!(
                "TestDb::postgres: cannot connect to {} ({e}); start PostgreSQL or set TEST_DATABASE_URL",
                redact(&admin_url)
            )
        });
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap_or_else(|e| panic!("TestDb::postgres: CREATE DATABASE {name} failed: {e}"));
        let url = with_database(&admin_url, &name);
        TestDb { url, cleanup: Cleanup::Postgres { admin_url, name } }
    }

    /// Creates an empty directory under the system temp dir for a `test.db` SQLite file.
    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("mas_test_{}", unique_suffix()));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("TestDb::sqlite: cannot create {}: {e}", dir.display()));
        let url = format!("sqlite://{}", dir.join("test.db").display());
        TestDb { url, cleanup: Cleanup::Sqlite { dir } }
    }

    /// The `warehouse.url` of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Connects without migrating.
    pub fn connect(&self) -> Warehouse {
        Warehouse::connect(&self.url).unwrap_or_else(|e| panic!("TestDb::connect: {e}"))
    }

    /// Connects and applies every migration.
    pub fn migrated(&self) -> Warehouse {
        let wh = self.connect();
        wh.migrate().unwrap_or_else(|e| panic!("TestDb::migrated: {e}"));
        wh
    }
}

/// Benchmark baseline: a plain PostgreSQL `COPY` of `rows` into `scratch_insights_daily` (a
/// copy of `insights_daily`'s columns without keys or indexes, created on first use), with
/// the same encoding the upserts use. Returns rows copied. PostgreSQL only.
pub fn copy_insights_to_scratch(wh: &Warehouse, rows: &[InsightRow]) -> Result<usize, WarehouseError> {
    let Pools::Pg(pool) = &wh.pools else {
        return Err(WarehouseError::InvalidInput("copy_insights_to_scratch needs PostgreSQL".into()));
    };
    let mut conn = pool.get()?;
    conn.batch_execute("CREATE TABLE IF NOT EXISTS scratch_insights_daily (LIKE insights_daily)")?;
    let refs: Vec<&InsightRow> = rows.iter().collect();
    Ok(super::upsert_pg::copy_scratch(&mut conn, &refs)?)
}

/// `url` with its database path replaced by `name` (query string kept).
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(auth_end);
    let query = tail.find('?').map_or("", |i| &tail[i..]);
    format!("{scheme}://{authority}/{name}{query}")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Postgres { admin_url, name } => {
                // FORCE ends the pool's connections that may still be open.
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
                }
            }
            Cleanup::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_replaces_the_path_only() {
        assert_eq!(super::with_database("postgres://u@h:1/test", "x"), "postgres://u@h:1/x");
        assert_eq!(
            super::with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(super::with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
