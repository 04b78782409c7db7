//! Locks that die with their holder: what tells a live worker from a dead one. On PostgreSQL a
//! session-level advisory lock per key (`pg_try_advisory_lock`), held on a connection of its
//! own that the server drops, locks and all, the moment the process dies; on SQLite an OS file
//! lock (`flock`) on `<db>.lock-<key>`, which the kernel releases when the process dies. The
//! time-based lease of `sync_cursors` stays beside them, for visibility and as the fallback
//! for a holder that is alive but stuck.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::PathBuf;

use diesel::r2d2::{ConnectionManager, PooledConnection};
use diesel::sql_types::Bool;
use diesel::{PgConnection, QueryableByName};

use super::db::{Bind, Db};
use super::error::WarehouseError;
use super::handle::{Pools, Warehouse};

/// Prefix of every advisory lock key, so other tools' advisory locks never collide with ours.
const PG_KEY_PREFIX: &str = "meta-ads-sync:";

const PG_TRY_LOCK: &str = "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok";
const PG_UNLOCK: &str = "SELECT pg_advisory_unlock(hashtextextended($1, 0)) AS ok";

#[derive(QueryableByName)]
struct Ok1 {
    #[diesel(sql_type = Bool)]
    ok: bool,
}

/// The lock key of an ad account.
pub fn account_key(account_id: &str) -> String {
    format!("account:{account_id}")
}

/// The lock key of a run.
pub fn run_key(run_id: i64) -> String {
    format!("run:{run_id}")
}

/// Locks held by this process; dropping it releases them all.
pub struct HolderLocks {
    kind: Kind,
}

enum Kind {
    /// A connection checked out of the pool for the whole run: its session holds the advisory
    /// locks, and it goes back to the pool only after they are all released.
    Pg { conn: PooledConnection<ConnectionManager<PgConnection>>, held: Vec<String> },
    /// Open lock files by key.
    Files { prefix: PathBuf, held: HashMap<String, File> },
    /// An in-memory SQLite database: nobody else can see it, leases alone suffice.
    None,
}

impl std::fmt::Debug for HolderLocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held: Vec<&String> = match &self.kind {
            Kind::Pg { held, .. } => held.iter().collect(),
            Kind::Files { held, .. } => held.keys().collect(),
            Kind::None => Vec::new(),
        };
        f.debug_struct("HolderLocks").field("held", &held).finish()
    }
}

fn io_error(what: &str, path: &std::path::Path, e: std::io::Error) -> WarehouseError {
    WarehouseError::InvalidInput(format!("{what} {}: {e}", path.display()))
}

/// `<db>.lock-<key>` with the key's unsafe characters replaced.
fn lock_path(prefix: &std::path::Path, key: &str) -> PathBuf {
    let safe: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    let mut name = prefix.as_os_str().to_owned();
    name.push(format!(".lock-{safe}"));
    PathBuf::from(name)
}

impl HolderLocks {
    /// Takes lock `key` unless another live holder has it; `true` when this process holds it
    /// now (taking a lock it already holds is a no-op).
    pub fn try_lock(&mut self, key: &str) -> Result<bool, WarehouseError> {
        match &mut self.kind {
            Kind::Pg { conn, held } => {
                if held.iter().any(|k| k == key) {
                    return Ok(true);
                }
                let got = pg_try_lock(&mut *conn, key)?;
                if got {
                    held.push(key.to_string());
                }
                Ok(got)
            }
            Kind::Files { prefix, held } => {
                if held.contains_key(key) {
                    return Ok(true);
                }
                let path = lock_path(prefix, key);
                let file = OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .map_err(|e| io_error("cannot open the lock file", &path, e))?;
                let got = try_flock(&file).map_err(|e| io_error("cannot lock", &path, e))?;
                if got {
                    held.insert(key.to_string(), file);
                }
                Ok(got)
            }
            Kind::None => Ok(true),
        }
    }

    /// Releases lock `key` (no-op when not held). `forget_file`: also delete its lock file (for
    /// keys nobody else ever takes, such as a finished run's).
    pub fn unlock(&mut self, key: &str, forget_file: bool) -> Result<(), WarehouseError> {
        match &mut self.kind {
            Kind::Pg { conn, held } => {
                if let Some(i) = held.iter().position(|k| k == key) {
                    held.swap_remove(i);
                    let _: Vec<Ok1> =
                        (**conn).load(PG_UNLOCK, vec![Bind::Text(format!("{PG_KEY_PREFIX}{key}"))])?;
                }
            }
            Kind::Files { prefix, held } => {
                if let Some(file) = held.remove(key) {
                    if forget_file {
                        // Deleted while still locked: a prober that opened it first sees it
                        // free only once this run's row is closed.
                        let _ = std::fs::remove_file(lock_path(prefix, key));
                    }
                    drop(file);
                }
            }
            Kind::None => {}
        }
        Ok(())
    }

    /// Releases every lock.
    pub fn unlock_all(&mut self) -> Result<(), WarehouseError> {
        let keys: Vec<String> = match &self.kind {
            Kind::Pg { held, .. } => held.clone(),
            Kind::Files { held, .. } => held.keys().cloned().collect(),
            Kind::None => Vec::new(),
        };
        for key in keys {
            let forget = key.starts_with("run:");
            self.unlock(&key, forget)?;
        }
        if let Kind::Pg { conn, .. } = &mut self.kind {
            // Belt and braces before the connection goes back to the pool: no lock of ours
            // may outlive the run on a pooled session.
            conn.exec("SELECT pg_advisory_unlock_all()", Vec::new())?;
        }
        Ok(())
    }
}

impl Drop for HolderLocks {
    fn drop(&mut self) {
        if let Err(e) = self.unlock_all() {
            tracing::warn!(error = %e, "could not release the holder locks; they end with the connection");
            if let Kind::Pg { conn, .. } = &mut self.kind {
                // A pooled session must never keep them: mark the connection broken.
                let _ = conn.exec("SELECT pg_terminate_backend(pg_backend_pid())", Vec::new());
            }
        }
    }
}

/// An exclusive `flock` without waiting: `false` when another open file holds it. The kernel
/// releases it when the file closes, including when its process dies.
fn try_flock(file: &File) -> std::io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn pg_try_lock(conn: &mut PgConnection, key: &str) -> Result<bool, WarehouseError> {
    let rows: Vec<Ok1> = conn.load(PG_TRY_LOCK, vec![Bind::Text(format!("{PG_KEY_PREFIX}{key}"))])?;
    Ok(rows.first().is_some_and(|r| r.ok))
}

impl Warehouse {
    /// The SQLite file's path, `None` on PostgreSQL or for an in-memory database.
    fn sqlite_path(&self) -> Option<PathBuf> {
        let path = self.location.strip_prefix("sqlite://")?;
        (!path.is_empty() && !path.starts_with(":memory:") && !path.contains("mode=memory"))
            .then(|| PathBuf::from(path.split('?').next().unwrap_or(path)))
    }

    /// A set of locks of this process, empty: a PostgreSQL connection kept out of the pool until
    /// the set is dropped (its locks end with this process), or the SQLite file's lock prefix.
    pub fn holder_locks(&self) -> Result<HolderLocks, WarehouseError> {
        let kind = match &self.pools {
            Pools::Pg(pool) => Kind::Pg { conn: pool.get()?, held: Vec::new() },
            Pools::Sqlite(_) => match self.sqlite_path() {
                Some(prefix) => Kind::Files { prefix, held: HashMap::new() },
                None => Kind::None,
            },
        };
        Ok(HolderLocks { kind })
    }

    /// Whether a live process holds lock `key` now. Probes without side effects a holder could
    /// see: on SQLite a missing lock file means no holder (none is created); on PostgreSQL the
    /// lock is taken and given back at once on a pooled connection.
    pub fn lock_is_held(&self, key: &str) -> Result<bool, WarehouseError> {
        match &self.pools {
            Pools::Pg(pool) => {
                let mut conn = pool.get()?;
                let got = pg_try_lock(&mut conn, key)?;
                if got {
                    let _: Vec<Ok1> =
                        conn.load(PG_UNLOCK, vec![Bind::Text(format!("{PG_KEY_PREFIX}{key}"))])?;
                }
                Ok(!got)
            }
            Pools::Sqlite(_) => {
                let Some(prefix) = self.sqlite_path() else { return Ok(true) };
                let path = lock_path(&prefix, key);
                let file = match OpenOptions::new().write(true).open(&path) {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
                    Err(e) => return Err(io_error("cannot open the lock file", &path, e)),
                };
                // Taken and given back (the file closes) at once when nobody holds it.
                let got = try_flock(&file).map_err(|e| io_error("cannot probe the lock", &path, e))?;
                Ok(!got)
            }
        }
    }
}
