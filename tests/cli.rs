//! The `meta-ads-sync` binary as a user runs it: exit codes and the messages they read.

mod support;

use clap::CommandFactory as _;
use meta_ads_sync::cli::Cli;
use meta_ads_sync::warehouse::testing::TestDb;
use support::cli::{run, text};

/// Arguments, environment, and the text the output must contain.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn migrate_creates_a_fresh_sqlite_file_then_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://fresh.db")];
    let out = run(dir.path(), &["migrate"], &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("applied 5 migration(s)"), "{}", text(&out));
    assert!(dir.path().join("fresh.db").exists());
    let again = run(dir.path(), &["migrate"], &env);
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again).contains("schema is up to date"), "{}", text(&again));
}

#[test]
fn migrate_a_fresh_postgres_database() {
    let db = TestDb::postgres();
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["migrate"], &[("META_ADS_SYNC__WAREHOUSE__URL", db.url())]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("applied 5 migration(s)"), "{}", text(&out));
    let status = run(dir.path(), &["status"], &[("META_ADS_SYNC__WAREHOUSE__URL", db.url())]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(text(&status).contains("no sync has run"), "{}", text(&status));
}

#[test]
fn unreachable_database_and_malformed_url_get_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "postgres://postgres:hunter2@127.0.0.1:1/x",
            1,
            "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused — is the server running? check warehouse.url",
        ),
        ("mysql://x", 2, "warehouse.url must start with sqlite://"),
        ("sqlite:///no/such/dir/x.db", 1, "/no/such/dir"),
    ];
    for (url, code, want) in cases {
        let out = run(dir.path(), &["migrate"], &[("META_ADS_SYNC__WAREHOUSE__URL", url)]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(code), "{url}: {t}");
        assert!(t.contains(want), "{url}: {t}");
        assert_eq!(t.trim().lines().count(), 1, "{url}: one line, got {t}");
        assert!(!t.contains("hunter2"), "the password leaked: {t}");
    }
}

#[test]
fn config_and_usage_errors_exit_2_and_name_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "meta:\n  batch:\n    max_size: 80\n").unwrap();
    let cases: [Case<'_>; 4] = [
        (&["--config", "bad.yaml", "sync"], &[], "meta.batch.max_size must be between 1 and 50"),
        (&["--config", "missing.yaml", "status"], &[], "cannot read config file missing.yaml"),
        (&["sync"], &[], "meta.access_token is not set: export META_ACCESS_TOKEN"),
        (&["sync", "--since", "yesterday"], &[("META_ACCESS_TOKEN", "x")], "--since must be a date"),
    ];
    for (args, env, want) in cases {
        let out = run(dir.path(), args, env);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(want), "{args:?}: {}", text(&out));
    }
    assert!(!dir.path().join("meta_ads.db").exists(), "a failed start creates no warehouse");
}

#[test]
fn retired_api_version_warns_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("META_ADS_SYNC__META__BASE_URL", "https://graph.facebook.com/v18.0"),
        ("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://w.db"),
    ];
    let out = run(dir.path(), &["migrate"], &env);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).contains("Marketing API v18.0 was retired on 2024-08-13"), "{}", text(&out));
}

#[test]
fn demo_syncs_the_simulator_into_sqlite_and_status_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["demo", "--accounts", "2", "--campaigns", "5", "--days", "30"], &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("sync succeeded: 2/2 accounts succeeded"), "{t}");
    assert!(t.contains("2 ad accounts, 10 campaigns, 20 ad sets, 40 ads"), "{t}");
    assert!(t.contains("Sample analyst query"), "{t}");
    assert!(dir.path().join("demo.db").exists());
    let status = run(dir.path(), &["status"], &[("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://demo.db")]);
    let s = text(&status);
    assert_eq!(status.status.code(), Some(0), "{s}");
    assert!(s.contains("insights_campaign") && s.contains("last run #1: succeeded"), "{s}");
}

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}
