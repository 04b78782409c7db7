//! Cursor bookkeeping and run records.

use crate::support::backends::both_backends;
use crate::support::rows::*;
use meta_ads_sync::warehouse::testing::TestDb;
use meta_ads_sync::warehouse::{CursorAdvance, RunOutcome, RunStatus, WriteBatch};

both_backends!(failures_count_up_and_a_success_resets_them, |db: &TestDb| {
    let wh = db.migrated();
    assert_eq!(wh.cursor("1001", "campaigns").unwrap(), None);
    wh.record_failure("1001", "campaigns", "first").unwrap();
    wh.record_failure("1001", "campaigns", "second").unwrap();
    let failed = wh.cursor("1001", "campaigns").unwrap().unwrap();
    assert_eq!((failed.fail_count, failed.last_error.as_deref(), failed.cursor), (2, Some("second"), None));
    assert!(failed.last_attempt_at.is_some() && failed.last_success_at.is_none());

    let advance =
        CursorAdvance { account_id: "1001".into(), stream: "campaigns".into(), cursor: "t1".into() };
    wh.commit(&WriteBatch { cursors: vec![advance], ..WriteBatch::default() }).unwrap();
    let ok = wh.cursor("1001", "campaigns").unwrap().unwrap();
    assert_eq!((ok.fail_count, ok.last_error, ok.cursor.as_deref()), (0, None, Some("t1")));
    assert_eq!(ok.last_success_at, ok.last_attempt_at);
    assert!(ok.last_success_at.unwrap() >= failed.last_attempt_at.unwrap());

    wh.record_failure("1001", "campaigns", "third").unwrap();
    let again = wh.cursor("1001", "campaigns").unwrap().unwrap();
    assert_eq!((again.fail_count, again.cursor.as_deref()), (1, Some("t1")));
    assert_eq!(again.last_success_at, ok.last_success_at);
});

both_backends!(runs_are_opened_and_closed, |db: &TestDb| {
    let wh = db.migrated();
    let first = wh.start_run().unwrap();
    let second = wh.start_run().unwrap();
    assert!(second > first);
    let outcome = RunOutcome {
        status: RunStatus::Partial,
        api_calls: 42,
        rows_upserted: 1_000_000,
        error: Some("1 account failed".into()),
    };
    wh.finish_run(first, &outcome).unwrap();
    let runs = wh.recent_runs(10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].run_id, runs[0].status, runs[0].finished_at), (second, RunStatus::Running, None));
    let done = &runs[1];
    assert_eq!((done.status, done.api_calls, done.rows_upserted), (RunStatus::Partial, 42, 1_000_000));
    assert_eq!(done.error.as_deref(), Some("1 account failed"));
    assert!(done.finished_at.unwrap() >= done.started_at);
    assert!(wh.finish_run(9999, &outcome).is_err());
    let _ = synced();
});

// Typed ids and streams address the same rows as their stored text.
both_backends!(typed_account_ids_and_streams_address_the_stored_rows, |db: &TestDb| {
    use meta_ads_sync::ids::{AccountId, Stream};
    let wh = db.migrated();
    let account = AccountId::parse("act_1001").unwrap();
    wh.record_failure(&account, &Stream::AdSets, "boom").unwrap();
    let by_text = wh.cursor("1001", "ad_sets").unwrap().unwrap();
    assert_eq!((by_text.account_id.as_str(), by_text.fail_count), ("1001", 1));
    assert_eq!(wh.cursor(&account, &Stream::AdSets).unwrap(), Some(by_text));

    let hour = std::time::Duration::from_secs(3600);
    assert_eq!(wh.claim_accounts("w", &[&account], 1, hour).unwrap(), vec!["1001"]);
    assert!(wh.claim_accounts("other", &["1001"], 1, hour).unwrap().is_empty());
    wh.release_lease(&account, "w").unwrap();
    assert_eq!(wh.claim_accounts("other", &["1001"], 1, hour).unwrap(), vec!["1001"]);
});
