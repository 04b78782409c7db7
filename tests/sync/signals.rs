//! The real `meta-ads-sync` binary against a simulator in this test process: SIGTERM mid-sync
//! stops it gracefully (exit 0, run row closed `interrupted`, no lease or lock left, the
//! warehouse consistent) and the next sync completes it; accounts a live worker holds are left
//! to it and reported with their holder (a pass where every account is held says `idle`, never
//! "succeeded"), and they are free the moment that holder's locks go; `status` on a missing
//! SQLite file fails clearly and creates nothing.

use std::process::Command;
use std::time::{Duration, Instant};

use meta_ads_sync::sim::{Fault, FaultRule, SimServer};
use meta_ads_sync::warehouse::testing::TestDb;
use meta_ads_sync::warehouse::{RunStatus, Warehouse, account_key};

use super::kill::{
    KillAt, Progress, Runner, assert_consistent, kill_world, now_progress, output, progress, run,
};
use crate::support::sync::{assert_matches_truth, truth};

/// Sends SIGTERM to `pid` with the system's `kill`.
fn sigterm(pid: u32) {
    let ok = Command::new("kill").arg("-TERM").arg(pid.to_string()).status().expect("running kill");
    assert!(ok.success(), "kill -TERM {pid} failed");
}

async fn sigterm_stops_gracefully(db: TestDb) {
    let server = SimServer::start(kill_world()).await.unwrap();
    let sim = server.sim();
    let truth = truth(&server);
    sim.inject(FaultRule::new(Fault::Latency { ms: 25 }).in_batch(false));
    let mut runner = Runner::new(&server, db.url());

    let (mut child, log) = runner.spawn();
    let at = KillAt::InsightsCalls(5);
    let base = now_progress(&sim);
    loop {
        let p: Progress = progress(&sim, base);
        assert!(child.try_wait().unwrap().is_none(), "sync ended before the signal:\n{}", output(&log));
        if at.reached(p) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    let signalled = Instant::now();
    sigterm(child.id());
    let (status, _) = run(&mut child, &sim, None, &log).await;
    let took = signalled.elapsed();
    let text = output(&log);
    assert_eq!(status.code(), Some(0), "{text}");
    assert!(took < Duration::from_secs(20), "took {took:?} to stop (grace is 20 s):\n{text}");
    assert!(text.contains("SIGTERM: stopping"), "{text}");
    assert!(text.contains("sync interrupted:"), "{text}");
    assert!(!text.contains("sync succeeded"), "{text}");

    let wh = Warehouse::connect(db.url()).unwrap();
    let last = &wh.recent_runs(1).unwrap()[0];
    assert_eq!(last.status, RunStatus::Interrupted, "{last:?}");
    assert!(last.finished_at.is_some(), "{last:?}");
    assert!(wh.named_leases().unwrap().is_empty(), "{:?}", wh.named_leases());
    for a in &truth.accounts {
        assert!(!wh.lock_is_held(&account_key(&a.account_id)).unwrap(), "{} still locked", a.account_id);
    }
    assert!(assert_consistent(db.url(), &truth) > 0, "nothing committed before the signal");
    eprintln!("stopped {took:?} after SIGTERM");

    let (mut child, log) = runner.spawn();
    let (status, _) = run(&mut child, &sim, None, &log).await;
    assert_eq!(status.code(), Some(0), "{}", output(&log));
    assert!(output(&log).contains("sync succeeded: 3/3 accounts succeeded"), "{}", output(&log));
    assert_matches_truth(&db.connect().snapshot().unwrap(), &truth);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_gracefully_sqlite() {
    sigterm_stops_gracefully(TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_gracefully_postgres() {
    sigterm_stops_gracefully(TestDb::postgres()).await;
}

async fn held_accounts_are_left_to_their_live_holder(db: TestDb) {
    let server = SimServer::start(kill_world()).await.unwrap();
    let sim = server.sim();
    let truth = truth(&server);
    let wh = db.migrated();
    // A live "other replica" in this process: it holds every account's lock and lease.
    let mut other = wh.holder_locks().unwrap();
    let ids: Vec<&str> = truth.accounts.iter().map(|a| a.account_id.as_str()).collect();
    for id in &ids {
        assert!(other.try_lock(&account_key(id)).unwrap());
    }
    assert_eq!(wh.take_over_leases("other-pod:7", &ids, Duration::from_secs(900)).unwrap().len(), 3);

    let mut runner = Runner::new(&server, db.url());
    let (mut child, log) = runner.spawn();
    let (status, _) = run(&mut child, &sim, None, &log).await;
    let text = output(&log);
    assert_eq!(status.code(), Some(0), "a replica whose work another replica does exits 0:\n{text}");
    assert!(
        text.contains("sync idle: nothing synced, all 3 accounts are held by other live workers"),
        "{text}"
    );
    assert!(text.contains("held by a live worker (other-pod:7, lease until"), "{text}");
    assert!(!text.contains("succeeded"), "{text}");
    assert_eq!(wh.recent_runs(1).unwrap()[0].status, RunStatus::Idle);
    assert!(wh.snapshot().unwrap().campaigns.is_empty());

    // The holder dies (its locks go) with its leases unexpired: the very next sync takes over.
    drop(other);
    let (mut child, log) = runner.spawn();
    let (status, _) = run(&mut child, &sim, None, &log).await;
    assert_eq!(status.code(), Some(0), "{}", output(&log));
    assert!(output(&log).contains("sync succeeded: 3/3 accounts succeeded"), "{}", output(&log));
    assert_matches_truth(&wh.snapshot().unwrap(), &truth);
    assert!(wh.named_leases().unwrap().is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_accounts_are_left_to_their_live_holder_sqlite() {
    held_accounts_are_left_to_their_live_holder(TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_accounts_are_left_to_their_live_holder_postgres() {
    held_accounts_are_left_to_their_live_holder(TestDb::postgres()).await;
}

#[test]
fn status_on_a_missing_sqlite_file_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing-here.db");
    let out = Command::new(env!("CARGO_BIN_EXE_meta-ads-sync"))
        .arg("status")
        .env("META_ADS_SYNC__WAREHOUSE__URL", format!("sqlite://{}", path.display()))
        .env_remove("META_ACCESS_TOKEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("no warehouse at {}", path.display())), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "status created a file");
}
