//! Configuration as a user meets it through the real binary: a bad value stops it at start with
//! exit code 2 and one line naming the key, before any warehouse or network is touched; a
//! secret from the environment is used as given.

mod support;

use chrono::{Days, NaiveDate, Utc};
use meta_ads_sync::model::InsightLevel;
use meta_ads_sync::sim::{SimConfig, SimServer, TruthQuery};
use meta_ads_sync::warehouse::testing::TestDb;
use support::cli::{run, text};

/// Runs `sync` with `yaml` as the config, a token and a warehouse URL from the environment
/// (unless `env` sets them) and asserts exit 2 with one line that contains `want`.
fn refused(yaml: &str, env: &[(&str, &str)], want: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), yaml).unwrap();
    let mut env = env.to_vec();
    for (k, v) in [
        ("META_ADS_SYNC__META__ACCESS_TOKEN", "EAAB-test"),
        ("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://w.db"),
    ] {
        let token_given = k.ends_with("ACCESS_TOKEN") && env.iter().any(|(e, _)| *e == "META_ACCESS_TOKEN");
        if !token_given && !env.iter().any(|(e, _)| *e == k) {
            env.push((k, v));
        }
    }
    let out = run(dir.path(), &["--config", "c.yaml", "sync"], &env);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{yaml:?}: {t}");
    assert_eq!(t.trim().lines().count(), 1, "{yaml:?}: one line, got {t}");
    assert!(t.starts_with("error: config: "), "{yaml:?}: {t}");
    assert!(t.contains(want), "{yaml:?}: {t:?} does not contain {want:?}");
    assert!(!dir.path().join("w.db").exists(), "a refused config creates no warehouse");
    t
}

/// Values that made the worker panic (exit 101) when it built its client, and their neighbours.
#[test]
fn absurd_numbers_exit_2_with_one_line_naming_the_key() {
    let cases = [
        (
            "meta:\n  retry:\n    backoff_seconds: 1e300\n    max_backoff_seconds: 1e300\n",
            "backoff_seconds must be between 0 and",
        ),
        (
            "meta:\n  retry:\n    max_backoff_seconds: 1e300\n",
            "meta.retry.max_backoff_seconds must be between 0 and 86400 seconds",
        ),
        (
            "meta:\n  report_run:\n    poll_seconds: 1e300\n    max_poll_seconds: 1e300\n",
            "poll_seconds must be above 0 and at most 3600 seconds, got 1e300",
        ),
        ("meta:\n  report_run:\n    poll_seconds: -1\n", "meta.report_run.poll_seconds must be above 0"),
        (
            "meta:\n  timeouts:\n    attempt_seconds: .inf\n",
            "meta.timeouts.attempt_seconds must be above 0 and at most 3600 seconds, got inf",
        ),
        (
            "meta:\n  timeouts:\n    operation_seconds: .nan\n",
            "meta.timeouts.operation_seconds must be above 0 and at most 86400 seconds, got NaN",
        ),
        (
            "meta:\n  rate_limit:\n    slow_down_at_pct: .nan\n",
            "meta.rate_limit.slow_down_at_pct must be between 0 and 100, got NaN",
        ),
        (
            "meta:\n  rate_limit:\n    window_seconds: 1e300\n",
            "meta.rate_limit.window_seconds must be between 1 and 86400",
        ),
        (
            "warehouse:\n  lease_seconds: 1e300\n",
            "warehouse.lease_seconds must be between 30 and 86400 (a whole number), got 1e300",
        ),
        ("warehouse:\n  lease_seconds: -5.0\n", "warehouse.lease_seconds must be between 30 and 86400"),
        (
            "sync:\n  updated_time_overlap_seconds: 9223372036854775807\n",
            "sync.updated_time_overlap_seconds must be between 0 and 86400",
        ),
    ];
    // (With two bad values, either may be the one named.)
    for (yaml, want) in cases {
        refused(yaml, &[], want);
    }
    let env = [("META_ADS_SYNC__META__RETRY__MAX_BACKOFF_SECONDS", "1e300")];
    refused("{}", &env, "meta.retry.max_backoff_seconds must be between 0 and 86400 seconds");
}

#[test]
fn a_token_that_cannot_be_sent_exits_2_naming_its_variable() {
    let yaml = "meta:\n  access_token: \"${META_ACCESS_TOKEN}\"\n";
    for token in ["EAAB-first\nEAAB-second", "EAAB\u{1b}[2J", "EAAB\u{201c}quoted\u{201d}"] {
        let t = refused(
            yaml,
            &[("META_ACCESS_TOKEN", token)],
            "meta.access_token (from $META_ACCESS_TOKEN) holds a character that cannot be in an HTTP header",
        );
        assert!(!t.contains("EAAB"), "the token is not printed: {t}");
    }
}

#[test]
fn credentials_in_urls_are_refused_and_never_printed() {
    let env = [("META_ADS_SYNC__META__BASE_URL", "https://me:hunter2@graph.facebook.com/v26.0")];
    let t = refused("{}", &env, "meta.base_url must not carry a user name or password");
    assert!(t.contains("https://***@graph.facebook.com/v26.0") && !t.contains("hunter2"), "{t}");
    let env = [("META_ADS_SYNC__WAREHOUSE__URL", "mysql://root:hunter2@db/x")];
    let t = refused("{}", &env, "warehouse.url must start with sqlite://");
    assert!(t.contains("mysql://***@db/x") && !t.contains("hunter2"), "{t}");
}

#[test]
fn insights_windows_that_load_nothing_are_refused() {
    let today = Utc::now().date_naive();
    let future = today + Days::new(3);
    refused(
        &format!("sync:\n  start_date: \"{future}\"\n"),
        &[],
        &format!("sync.start_date starts on {future}, in the future"),
    );
    refused("sync:\n  start_date: \"2020-01-01\"\n", &[], "Meta keeps insights for 37 months");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), "warehouse:\n  url: sqlite://w.db\n").unwrap();
    let since = future.to_string();
    for (args, want) in [
        (
            ["--since", "2020-01-01", "--until", "2020-02-01"],
            "the window ends on 2020-02-01, wholly before the 37 months",
        ),
        (["--since", since.as_str(), "--until", since.as_str()], "in the future"),
    ] {
        let mut all = vec!["--config", "c.yaml", "sync"];
        all.extend(args);
        let out = run(dir.path(), &all, &[("META_ADS_SYNC__META__ACCESS_TOKEN", "EAAB-test")]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {t}");
        assert!(t.contains("--since/--until") && t.contains(want), "{args:?}: {t}");
        assert!(!dir.path().join("w.db").exists(), "refused before the warehouse is opened");
    }
}

/// A token mounted from a secret file ends in a newline; it is used without it, and a token
/// full of YAML-looking characters in the app secret is used as written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_with_a_trailing_newline_syncs() {
    let app_secret = "s3cr#t: \"x\" \\x41 ${HOME}".to_string();
    let sim_cfg = SimConfig {
        seed: 5,
        accounts: 1,
        campaigns_per_account: 2,
        adsets_per_campaign: 1,
        ads_per_adset: 1,
        days: 3,
        api_version: "v26.0".to_string(),
        require_appsecret_proof: true,
        app_secret: app_secret.clone(),
        ..SimConfig::default()
    };
    let server = SimServer::start(sim_cfg).await.unwrap();
    let sim = server.sim();
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "meta:\n  base_url: \"{}\"\n  access_token: \"${{META_ACCESS_TOKEN}}\"\n  app_secret: ${{META_APP_SECRET}}\n\
         warehouse:\n  url: \"{}\"\n",
        server.base_url(),
        db.url()
    );
    std::fs::write(dir.path().join("c.yaml"), yaml).unwrap();
    let token = format!("{}\n", sim.system_user_token());
    let secret = format!("{app_secret}\r\n");
    let path = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        run(
            &path,
            &["--config", "c.yaml", "sync"],
            &[("META_ACCESS_TOKEN", &token), ("META_APP_SECRET", &secret)],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stats = sim.stats();
    assert!(stats.calls > 0, "the simulator was called");
    let truth = sim.truth(&TruthQuery {
        levels: vec![InsightLevel::Campaign],
        since: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        until: NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
    });
    let snapshot = db.connect().snapshot().unwrap();
    let ids = |rows: Vec<String>| {
        let mut rows = rows;
        rows.sort();
        rows
    };
    assert_eq!(
        ids(snapshot.campaigns.iter().map(|c| c.campaign_id.clone()).collect()),
        ids(truth.campaigns.iter().map(|c| c.campaign_id.clone()).collect()),
        "every campaign synced with the trimmed token and the exact app secret"
    );
    server.shutdown().await;
}
