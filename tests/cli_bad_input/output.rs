//! Colour codes only on a terminal; with `logging.format: json` every line the worker writes,
//! on stdout and stderr, the final summary and a fatal error included, is one JSON object.

use crate::support::*;

fn json_env(mut env: Vec<(String, String)>) -> Vec<(String, String)> {
    env.push(("META_ADS_SYNC__LOGGING__FORMAT".into(), "json".into()));
    env
}

/// Every line of `bytes` parses as a JSON object; returns them.
fn json_lines(what: &str, bytes: &[u8]) -> Vec<serde_json::Value> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {l}"));
            assert!(v.is_object() && v["level"].is_string() && v["message"].is_string(), "{what}: {l}");
            v
        })
        .collect()
}

#[test]
fn no_escape_codes_in_a_pipe() {
    let sim = Sim::start(1);
    let dir = tempfile::tempdir().unwrap();
    let dead = vars(&[
        ("META_ACCESS_TOKEN", "x"),
        ("META_ADS_SYNC__META__BASE_URL", &dead_base_url()),
        ("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://dead.db"),
    ]);
    let runs = [
        ("sync", run(dir.path(), &["sync"], &sim.env("w.db"))),
        ("status", run(dir.path(), &["status"], &sim.env("w.db"))),
        ("sync at a dead url", run(dir.path(), &["sync"], &dead)),
        ("demo", run(dir.path(), &["demo", "--accounts", "1", "--campaigns", "2", "--days", "5"], &[])),
    ];
    for (what, out) in runs {
        let t = text(&out);
        assert!(
            t.contains("INFO") || t.contains("error") || t.contains("last run"),
            "{what}: logs expected: {t}"
        );
        assert!(!t.contains('\x1b'), "{what}: an escape code in a pipe: {t:?}");
    }
}

#[test]
fn json_logs_make_every_line_a_json_object() {
    let sim = Sim::start(2);
    let dir = tempfile::tempdir().unwrap();
    let ok = run(dir.path(), &["sync"], &json_env(sim.env("w.db")));
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let summary = json_lines("sync stdout", &ok.stdout);
    assert_eq!(summary.len(), 1, "{}", text(&ok));
    assert!(summary[0]["message"].as_str().unwrap().starts_with("sync succeeded: 2/2 accounts"));
    assert!(json_lines("sync stderr", &ok.stderr).len() > 2, "the log lines");

    let dead = json_env(vars(&[
        ("META_ACCESS_TOKEN", "EAAB-json-token"),
        ("META_ADS_SYNC__META__BASE_URL", &dead_base_url()),
        ("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://dead.db"),
    ]));
    let fatal = run(dir.path(), &["sync"], &dead);
    assert_eq!(fatal.status.code(), Some(2), "{}", text(&fatal));
    json_lines("fatal stdout", &fatal.stdout);
    let last = json_lines("fatal stderr", &fatal.stderr).pop().expect("the fatal line");
    assert_eq!(last["level"], "ERROR");
    assert!(last["message"].as_str().unwrap().contains("check meta.base_url"), "{last}");
    assert!(!text(&fatal).contains("EAAB-json-token"), "the token leaked");

    let usage =
        run(dir.path(), &["sync"], &json_env(vars(&[("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://u.db")])));
    assert_eq!(usage.status.code(), Some(2), "{}", text(&usage));
    let last = json_lines("usage stderr", &usage.stderr).pop().expect("the fatal line");
    assert!(last["message"].as_str().unwrap().contains("meta.access_token is not set"), "{last}");

    std::fs::write(dir.path().join("bad.yaml"), "meta:\n  batch:\n    max_size: 80\n").unwrap();
    let bad = run(dir.path(), &["--config", "bad.yaml", "sync"], &json_env(Vec::new()));
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    let last = json_lines("config error stderr", &bad.stderr).pop().expect("the fatal line");
    assert!(last["message"].as_str().unwrap().contains("meta.batch.max_size"), "{last}");

    let status = run(dir.path(), &["status"], &json_env(sim.env("w.db")));
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    json_lines("status stdout", &status.stdout);
    json_lines("status stderr", &status.stderr);
}
