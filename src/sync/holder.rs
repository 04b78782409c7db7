//! Liveness of the workers: locks that die with their holder (docs/sync.md, "Several
//! workers"), as the engine uses them. The warehouse implementation holds them for the whole
//! pass: a PostgreSQL session's advisory locks, or OS file locks beside the SQLite file.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use futures_util::future::BoxFuture;

use crate::ids::AccountId;
use crate::warehouse::{HolderLocks, Warehouse, account_key, run_key};

/// Locks held while this process lives, released by the server or the kernel when it dies.
pub trait Liveness: Send + Sync + std::fmt::Debug + 'static {
    /// Takes the locks of those `accounts` no live process holds and makes `worker` their lease
    /// holder (whatever lease a dead holder left); returns them, in order.
    fn acquire(
        &self,
        worker: String,
        accounts: Vec<AccountId>,
        lease: Duration,
    ) -> BoxFuture<'static, anyhow::Result<Vec<AccountId>>>;

    /// Takes the lock of run `run_id` and records it on the run's row, so that `status` can
    /// tell a run whose process died.
    fn hold_run(&self, run_id: i64) -> BoxFuture<'static, anyhow::Result<()>>;

    /// Releases every lock taken.
    fn release_all(&self) -> BoxFuture<'static, anyhow::Result<()>>;
}

/// [`Liveness`] on the warehouse's own locks.
#[derive(Debug)]
pub struct WarehouseLiveness {
    wh: Warehouse,
    locks: Arc<Mutex<HolderLocks>>,
}

impl WarehouseLiveness {
    /// Opens the lock set (on PostgreSQL a connection kept for the pass).
    pub async fn open(wh: &Warehouse) -> anyhow::Result<Self> {
        let wh = wh.clone();
        let w = wh.clone();
        let locks = tokio::task::spawn_blocking(move || w.holder_locks())
            .await
            .context("opening the holder locks")??;
        Ok(Self { wh, locks: Arc::new(Mutex::new(locks)) })
    }

    fn blocking<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&Warehouse, &mut HolderLocks) -> anyhow::Result<T> + Send + 'static,
    ) -> BoxFuture<'static, anyhow::Result<T>> {
        let (wh, locks) = (self.wh.clone(), self.locks.clone());
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut guard = locks.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                f(&wh, &mut guard)
            })
            .await
            .context(what)?
            .context(what)
        })
    }
}

impl Liveness for WarehouseLiveness {
    fn acquire(
        &self,
        worker: String,
        accounts: Vec<AccountId>,
        lease: Duration,
    ) -> BoxFuture<'static, anyhow::Result<Vec<AccountId>>> {
        self.blocking("taking the account locks", move |wh, locks| {
            let mut locked = Vec::new();
            for a in accounts {
                if locks.try_lock(&account_key(a.as_str()))? {
                    locked.push(a);
                }
            }
            let ids: Vec<&str> = locked.iter().map(AccountId::as_str).collect();
            let leased = wh.take_over_leases(&worker, &ids, lease)?;
            Ok(locked.into_iter().filter(|a| leased.iter().any(|l| l == a.as_str())).collect())
        })
    }

    fn hold_run(&self, run_id: i64) -> BoxFuture<'static, anyhow::Result<()>> {
        self.blocking("taking the run lock", move |wh, locks| {
            let key = run_key(run_id);
            if locks.try_lock(&key)? {
                wh.set_run_holder(run_id, &key)?;
            }
            Ok(())
        })
    }

    fn release_all(&self) -> BoxFuture<'static, anyhow::Result<()>> {
        self.blocking("releasing the holder locks", |_, locks| Ok(locks.unlock_all()?))
    }
}
