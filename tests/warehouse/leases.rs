//! Account leases: racing workers never share an account; expired leases can be re-claimed.

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::support::backends::both_backends;
use crate::support::rows::*;
use meta_ads_sync::warehouse::testing::TestDb;
use meta_ads_sync::warehouse::{LEASE_STREAM, Warehouse};

const HOUR: Duration = Duration::from_secs(3600);

both_backends!(racing_workers_never_get_the_same_account, |db: &TestDb| {
    db.migrated();
    let accounts: Vec<String> = (0..120).map(|i| format!("{}", 5000 + i)).collect();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = ["worker-a", "worker-b"]
        .into_iter()
        .map(|worker| {
            let (url, barrier, accounts) = (db.url().to_string(), barrier.clone(), accounts.clone());
            std::thread::spawn(move || {
                // Each worker has its own pool, hence its own connections.
                let wh = Warehouse::connect(&url).unwrap();
                barrier.wait();
                let mut mine = Vec::new();
                loop {
                    // Due accounts: everything this worker does not hold yet.
                    let due: Vec<String> = accounts.iter().filter(|a| !mine.contains(*a)).cloned().collect();
                    let got = wh.claim_accounts(worker, &due, 7, HOUR).unwrap();
                    if got.is_empty() {
                        break;
                    }
                    mine.extend(got);
                }
                mine
            })
        })
        .collect();
    let results: Vec<Vec<String>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let a: HashSet<_> = results[0].iter().collect();
    let b: HashSet<_> = results[1].iter().collect();
    assert!(a.is_disjoint(&b), "shared accounts: {:?}", a.intersection(&b).collect::<Vec<_>>());
    assert_eq!(a.len() + b.len(), accounts.len());

    let wh = db.connect();
    let leased = wh.cursors().unwrap();
    assert_eq!(leased.len(), accounts.len());
    assert!(leased.iter().all(|c| c.stream == LEASE_STREAM && c.lease_expires_at.is_some()));
});

both_backends!(expired_leases_can_be_reclaimed, |db: &TestDb| {
    let wh = db.migrated();
    let ids = vec!["1".to_string(), "2".to_string(), "3".to_string()];
    // Claims follow candidate order and respect `max`.
    assert_eq!(wh.claim_accounts("a", &ids, 2, HOUR).unwrap(), vec!["1", "2"]);
    assert_eq!(wh.claim_accounts("b", &ids, 5, HOUR).unwrap(), vec!["3"]);
    assert!(wh.claim_accounts("c", &ids, 5, HOUR).unwrap().is_empty());
    // The holder renews its own lease.
    assert_eq!(wh.claim_accounts("a", &ids, 5, HOUR).unwrap(), vec!["1", "2"]);

    // A zero-length lease has lapsed by the next claim.
    assert_eq!(wh.claim_accounts("b", &["9".to_string()], 1, Duration::ZERO).unwrap(), vec!["9"]);
    assert_eq!(wh.claim_accounts("c", &["9".to_string()], 1, HOUR).unwrap(), vec!["9"]);
    assert_eq!(wh.cursor("9", LEASE_STREAM).unwrap().unwrap().lease_owner.as_deref(), Some("c"));

    // Releasing hands the account back; releasing someone else's lease does nothing.
    wh.release_lease("1", "b").unwrap();
    assert!(wh.claim_accounts("c", &ids[..1], 1, HOUR).unwrap().is_empty());
    wh.release_lease("1", "a").unwrap();
    assert_eq!(wh.claim_accounts("c", &ids[..1], 1, HOUR).unwrap(), vec!["1"]);
    let released = wh.cursor("2", LEASE_STREAM).unwrap().unwrap();
    assert_eq!(released.lease_owner.as_deref(), Some("a"));
});

both_backends!(leases_do_not_disturb_cursors, |db: &TestDb| {
    let wh = db.migrated();
    wh.commit(&meta_ads_sync::warehouse::WriteBatch {
        cursors: vec![meta_ads_sync::warehouse::CursorAdvance {
            account_id: "1".into(),
            stream: LEASE_STREAM.into(),
            cursor: "2026-01-01".into(),
        }],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(wh.claim_accounts("a", &["1".to_string()], 1, HOUR).unwrap(), vec!["1"]);
    wh.record_failure("1", LEASE_STREAM, "boom").unwrap();
    let row = wh.cursor("1", LEASE_STREAM).unwrap().unwrap();
    assert_eq!(row.cursor.as_deref(), Some("2026-01-01"));
    assert_eq!(row.lease_owner.as_deref(), Some("a"));
    assert_eq!(row.fail_count, 1);
    let _ = synced();
});
