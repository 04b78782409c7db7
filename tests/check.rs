//! `meta-ads-sync check`, the real binary against the simulator over loopback and real SQLite
//! files: every check passes on a good setup (exit 0); an unmigrated warehouse, a token missing
//! `read_insights`, an expired token and a configured account the token cannot reach each give
//! exit 1 and a `✗` line naming the problem and the fix.

mod support;

use std::path::Path;

use meta_ads_sync::sim::{SimConfig, SimServer};
use support::cli::{run, text};

fn world() -> SimConfig {
    SimConfig {
        seed: 5,
        accounts: 2,
        campaigns_per_account: 1,
        adsets_per_campaign: 1,
        ads_per_adset: 1,
        days: 3,
        api_version: "v26.0".to_string(),
        ..SimConfig::default()
    }
}

/// Runs `check` in `dir` with a config pointing at `server`, `token` and `accounts`.
async fn check(dir: &Path, server: &SimServer, token: &str, accounts: &[&str]) -> (Option<i32>, String) {
    let sim = server.sim();
    let accounts = accounts.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
    let yaml = format!(
        "meta:\n  base_url: {}\n  access_token: ${{META_ACCESS_TOKEN}}\n  app_id: \"{}\"\n  app_secret: \"{}\"\nwarehouse:\n  url: sqlite://w.db\nsync:\n  accounts: [{accounts}]\n",
        server.base_url(),
        sim.config().app_id,
        sim.config().app_secret
    );
    std::fs::write(dir.join("check.yaml"), yaml).unwrap();
    let (dir, token_env) = (dir.to_path_buf(), token.to_string());
    let out = tokio::task::spawn_blocking(move || {
        run(&dir, &["--config", "check.yaml", "check"], &[("META_ACCESS_TOKEN", &token_env)])
    })
    .await
    .unwrap();
    let text = text(&out);
    assert!(!text.contains(token), "the token leaked: {text}");
    (out.status.code(), text)
}

fn migrate(dir: &Path) {
    let out = run(dir, &["migrate"], &[("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://w.db")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// The line starting with `mark` that mentions `about`.
fn line<'a>(text: &'a str, mark: &str, about: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(mark) && l.contains(about))
        .unwrap_or_else(|| panic!("no {mark} {about} line in:\n{text}"))
}

/// A user token granted exactly `scope` through the OAuth dialog and code exchange.
async fn token_with_scope(server: &SimServer, scope: &str) -> String {
    let sim = server.sim();
    let (app_id, secret) = (sim.config().app_id.clone(), sim.config().app_secret.clone());
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let redirect = "https://example.com/cb";
    let dialog = http
        .get(format!("{}/dialog/oauth", server.base_url()))
        .query(&[("client_id", app_id.as_str()), ("redirect_uri", redirect), ("scope", scope)])
        .send()
        .await
        .unwrap();
    let location = reqwest::Url::parse(dialog.headers()["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let answer: serde_json::Value = http
        .get(format!("{}/oauth/access_token", server.base_url()))
        .query(&[
            ("client_id", &app_id),
            ("client_secret", &secret),
            ("redirect_uri", &redirect.to_string()),
            ("code", &code),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_passes_against_the_simulator_on_sqlite() {
    let server = SimServer::start(world()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let ids = server.sim().account_ids();
    let token = server.sim().system_user_token();
    let before = server.sim().stats();
    let (code, text) = check(dir.path(), &server, &token, &[]).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.lines().all(|l| l.starts_with('✓')), "{text}");
    line(&text, "✓", "API version v26.0 is served");
    line(&text, "✓", "warehouse sqlite://w.db is reachable and migrated");
    line(&text, "✓", "token is valid (SYSTEM_USER, never expires; scopes include ads_read, read_insights)");
    for id in &ids {
        line(&text, "✓", &format!("account {id} "));
    }
    let after = server.sim().stats();
    assert_eq!(text.lines().count(), 3 + ids.len(), "{text}");
    // Discovery (one listing call) plus one batch carrying debug_token and every account.
    assert_eq!(after.http_requests - before.http_requests, 2, "{after:?}");
    assert_eq!(after.batch_requests - before.batch_requests, 1, "{after:?}");
    let sqlite_files = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(sqlite_files, 2, "check.yaml and w.db, nothing else written");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unmigrated_warehouse_names_the_pending_migrations() {
    let server = SimServer::start(world()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (code, text) = check(dir.path(), &server, &server.sim().system_user_token(), &[]).await;
    assert_eq!(code, Some(1), "{text}");
    let l = line(&text, "✗", "warehouse");
    assert!(l.contains("5 pending migration(s): 2026-01-01-000001_entities, "), "{l}");
    assert!(l.contains("run `meta-ads-sync migrate`"), "{l}");
    line(&text, "✓", "token is valid");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_missing_read_insights_is_named() {
    let server = SimServer::start(world()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let token = token_with_scope(&server, "ads_read,ads_management").await;
    let (code, text) = check(dir.path(), &server, &token, &[]).await;
    assert_eq!(code, Some(1), "{text}");
    let l = line(&text, "✗", "token");
    assert!(
        l.contains("lacks the permission(s) read_insights: re-authorize granting ads_read, read_insights"),
        "{l}"
    );
    // A token granted both passes.
    let good = token_with_scope(&server, "ads_read,read_insights").await;
    let (code, text) = check(dir.path(), &server, &good, &[]).await;
    assert_eq!(code, Some(0), "{text}");
    line(&text, "✓", "token is valid (USER, expires on ");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_fails_the_token_check() {
    let server = SimServer::start(world()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let token = server.sim().issue_token(Some(std::time::Duration::from_secs(86_400)));
    server.sim().expire_token(&token);
    let ids = server.sim().account_ids();
    let (code, text) = check(dir.path(), &server, &token, &[&ids[0]]).await;
    assert_eq!(code, Some(1), "{text}");
    let l = line(&text, "✗", "token");
    assert!(l.contains("expired") && l.contains("issue a new token and set META_ACCESS_TOKEN"), "{l}");
    line(&text, "✓", "warehouse");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_account_the_token_cannot_reach_is_named() {
    let server = SimServer::start(world()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let ids = server.sim().account_ids();
    let (code, text) =
        check(dir.path(), &server, &server.sim().system_user_token(), &[&ids[0], "4242424242"]).await;
    assert_eq!(code, Some(1), "{text}");
    line(&text, "✓", &format!("account {} ", ids[0]));
    let l = line(&text, "✗", "account act_4242424242");
    assert!(l.contains("not reachable with this token") && l.contains("remove it from sync.accounts"), "{l}");
    line(&text, "✓", "token is valid");
    server.shutdown().await;
}
