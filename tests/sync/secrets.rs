//! Secrets stay secret: the real binary syncs a simulator that requires `appsecret_proof`,
//! with faults injected and a token rejected mid-run, logging at TRACE in JSON; neither the
//! access token nor the app secret appears in its output, in the warehouse's error columns, or
//! in any URL the simulator saw.

use std::process::Command;

use meta_ads_sync::sim::{Fault, FaultRule, SimConfig, SimServer, Trigger};
use meta_ads_sync::warehouse::testing::TestDb;

use crate::support::sync::small_world;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_and_app_secret_never_leak() {
    let server = SimServer::start(SimConfig {
        require_appsecret_proof: true,
        app_secret: "app-secret-0f9e8d7c6b5a".to_string(),
        ..small_world()
    })
    .await
    .unwrap();
    let sim = server.sim();
    let token = sim.system_user_token();
    let secret = sim.config().app_secret.clone();
    let victim = sim.account_ids()[1].trim_start_matches("act_").to_string();
    for fault in [
        Fault::Error { code: 1, subcode: Some(99), http_status: Some(500), message: None },
        Fault::Html500,
        Fault::Malformed,
        Fault::Error { code: 2, subcode: None, http_status: None, message: None },
    ] {
        sim.inject(FaultRule { trigger: Trigger::Rate { p: 0.05 }, ..FaultRule::new(fault) });
    }
    // The token is rejected for one account's insights: no refresh is possible with a static
    // token, so that account needs re-authorization (exit 3) and its error is recorded.
    sim.inject(
        FaultRule::new(Fault::Error {
            code: 190,
            subcode: Some(460),
            http_status: None,
            message: Some("Error validating access token: The session has been invalidated because the user changed their password".into()),
        })
        .on_account(&victim)
        .insights(),
    );

    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "meta:\n  base_url: \"{}\"\n  access_token: \"${{META_ACCESS_TOKEN}}\"\n  app_secret: \"${{META_APP_SECRET}}\"\n  page_size: 5\n  retry:\n    backoff_seconds: 0.01\n    max_backoff_seconds: 0.02\n    max_attempts: 6\n\
             warehouse:\n  url: \"{}\"\nsync:\n  levels: [campaign, ad]\nlogging:\n  format: json\n  level: trace\n",
            server.base_url(),
            db.url()
        ),
    )
    .unwrap();
    let (token_env, secret_env) = (token.clone(), secret.clone());
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_meta-ads-sync"))
            .args(["--config", config.to_str().unwrap(), "sync"])
            .env("META_ACCESS_TOKEN", token_env)
            .env("META_APP_SECRET", secret_env)
            .env("RUST_LOG", "trace")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(3), "an account needs re-authorization:\n{}", tail(&text));
    assert!(text.contains(&format!("account {victim}: NEEDS RE-AUTHORIZATION")), "{}", tail(&text));
    assert!(text.lines().count() > 50, "TRACE logging produced output");
    assert!(!text.contains(&token), "the access token appears in the output");
    assert!(!text.contains(&secret), "the app secret appears in the output");

    let stats = sim.stats();
    assert!(stats.injected_faults > 0, "faults were injected");
    assert_eq!(stats.tokens_in_url, 0, "a token was sent in a URL");
    for r in &stats.log {
        let params = format!("{:?}", r.params);
        assert!(
            !params.contains(&token) && !params.contains(&secret),
            "secret in request params of {}",
            r.path
        );
    }
    let wh = db.connect();
    for c in wh.cursors().unwrap() {
        let e = c.last_error.unwrap_or_default();
        assert!(!e.contains(&token) && !e.contains(&secret));
    }
    let errors: Vec<String> = wh.recent_runs(5).unwrap().into_iter().filter_map(|r| r.error).collect();
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|e| !e.contains(&token) && !e.contains(&secret)));
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
