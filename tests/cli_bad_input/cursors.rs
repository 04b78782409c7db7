//! `sync --until` a day before the stored cursors never moves a cursor back: the insights
//! cursor stays, entity cursors stay or move forward (compared as dates and Unix times, not
//! as text).

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use meta_ads_sync::warehouse::Warehouse;

use crate::support::*;

/// The stored cursors of `db`, `(account, stream) -> cursor`.
fn cursors(dir: &std::path::Path, db: &str) -> BTreeMap<(String, String), String> {
    let url = format!("sqlite://{}", dir.join(db).display());
    let wh = Warehouse::connect(&url).unwrap();
    wh.cursors().unwrap().into_iter().filter_map(|c| Some(((c.account_id, c.stream), c.cursor?))).collect()
}

/// Whether `after` is `before` or later, typed by `stream`.
fn not_older(stream: &str, before: &str, after: &str) -> bool {
    if stream.starts_with("insights_") {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        d(after) >= d(before)
    } else if stream == "account" || stream == "ad_creatives" {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        t(after) >= t(before)
    } else {
        after.parse::<i64>().unwrap() >= before.parse::<i64>().unwrap()
    }
}

#[test]
fn until_an_earlier_day_keeps_every_cursor() {
    let sim = Sim::start(2);
    let dir = tempfile::tempdir().unwrap();
    let env = sim.env("w.db");
    let first = run(dir.path(), &["sync"], &env);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let before = cursors(dir.path(), "w.db");
    let insights: Vec<NaiveDate> = before
        .iter()
        .filter(|((_, s), _)| s.starts_with("insights_"))
        .map(|(_, c)| NaiveDate::parse_from_str(c, "%Y-%m-%d").unwrap())
        .collect();
    assert_eq!(insights.len(), 2, "one insights cursor per account: {before:?}");
    assert!(before.keys().any(|(_, s)| s == "campaigns"), "{before:?}");
    let until = *insights.iter().min().unwrap() - Days::new(5);

    let second = run(dir.path(), &["sync", "--until", &until.to_string()], &env);
    let t = text(&second);
    assert_eq!(second.status.code(), Some(0), "{t}");
    assert!(t.contains("insights_daily"), "the earlier days were loaded again: {t}");
    let after = cursors(dir.path(), "w.db");
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    for ((account, stream), old) in &before {
        let new = &after[&(account.clone(), stream.clone())];
        if stream.starts_with("insights_") {
            assert_eq!(new, old, "{account} {stream} moved");
        }
        assert!(not_older(stream, old, new), "{account} {stream} went back: {old} -> {new}");
    }
}
