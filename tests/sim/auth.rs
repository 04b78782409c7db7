//! Tokens (190/463, exchange), the OAuth dialog and code flow, debug_token, appsecret_proof,
//! and the record of tokens sent in URLs.

use crate::support::sim::*;
use meta_ads_sync::sim::{SimConfig, appsecret_proof};
use std::time::Duration;

#[tokio::test]
async fn missing_invalid_and_expired_tokens() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let url = format!("{}/{}", env.base(), env.account(0));
    let r = env.get_url(&url, &[], None).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, 104));
    let r = env.get_url(&url, &[], Some("EAAnot-a-token")).await;
    assert_eq!((r.status.as_u16(), r.code(), r.subcode()), (400, 190, None));
    assert!(r.headers.contains_key("www-authenticate"));
    let short = sim.issue_token(Some(Duration::from_secs(3600)));
    assert_eq!(env.get_url(&url, &[], Some(&short)).await.status, 200);
    sim.advance_clock(Duration::from_secs(3601));
    let r = env.get_url(&url, &[], Some(&short)).await;
    assert_eq!((r.code(), r.subcode()), (190, Some(463)));
    assert!(r.message().starts_with("Error validating access token: Session has expired"));
    let other = sim.issue_token(None);
    sim.expire_token(&other);
    assert_eq!(env.get_url(&url, &[], Some(&other)).await.subcode(), Some(463));
    assert_eq!(
        env.get_url(&url, &[], Some(&env.token)).await.status,
        200,
        "the system user token never expires"
    );
    env.server.shutdown().await;
}

#[tokio::test]
async fn dialog_code_exchange_long_lived_and_debug_token() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let (app_id, secret) = (sim.config().app_id.clone(), sim.config().app_secret.clone());
    let redirect = "https://example.com/cb";
    let dialog = env
        .http
        .get(format!("{}/dialog/oauth", env.base()))
        .query(&[
            ("client_id", app_id.as_str()),
            ("redirect_uri", redirect),
            ("state", "xyz 1"),
            ("scope", "ads_read"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(dialog.status(), 302);
    let location = reqwest::Url::parse(dialog.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(redirect));
    let q: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(q["state"], "xyz 1");
    let code = q["code"].clone();
    let token_url = format!("{}/oauth/access_token", env.base());
    let exchange = |code: String, redirect: &'static str| {
        let (app_id, secret) = (app_id.clone(), secret.clone());
        let env = &env;
        let url = token_url.clone();
        async move {
            env.get_url(
                &url,
                &[
                    ("client_id", &app_id),
                    ("client_secret", &secret),
                    ("redirect_uri", redirect),
                    ("code", &code),
                ],
                None,
            )
            .await
        }
    };
    let fb_exchange = |user: String| {
        let (app_id, secret) = (app_id.clone(), secret.clone());
        let env = &env;
        let url = token_url.clone();
        async move {
            let q = [
                ("grant_type", "fb_exchange_token"),
                ("client_id", app_id.as_str()),
                ("client_secret", secret.as_str()),
                ("fb_exchange_token", user.as_str()),
            ];
            env.get_url(&url, &q, None).await
        }
    };
    let bad = exchange(code.clone(), "https://evil.example/cb").await;
    assert_eq!((bad.code(), bad.subcode()), (100, Some(36008)));
    let ok = exchange(code.clone(), redirect).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["token_type"], "bearer");
    assert!(ok.body["expires_in"].as_i64().unwrap() > 5_000_000);
    let user = ok.body["access_token"].as_str().unwrap().to_string();
    let again = exchange(code, redirect).await;
    assert_eq!(again.subcode(), Some(36009), "codes are single-use");
    // The user token works, and can be exchanged for a long-lived one.
    assert_eq!(env.get_url(&format!("{}/me/adaccounts", env.base()), &[], Some(&user)).await.status, 200);
    let long = fb_exchange(user.clone()).await;
    assert_eq!(long.body["expires_in"], 5_183_944);
    let long = long.body["access_token"].as_str().unwrap().to_string();
    assert_ne!(long, user);
    // An expired token cannot be exchanged.
    sim.expire_token(&user);
    let r = fb_exchange(user.clone()).await;
    assert_eq!((r.code(), r.subcode()), (190, Some(463)));
    // client_credentials gives an app token; debug_token inspects user tokens with it.
    let app = env
        .get_url(
            &token_url,
            &[("grant_type", "client_credentials"), ("client_id", &app_id), ("client_secret", &secret)],
            None,
        )
        .await;
    let app_token = app.body["access_token"].as_str().unwrap().to_string();
    assert!(app_token.starts_with(&format!("{app_id}|")));
    let dbg = env
        .get_url(&format!("{}/debug_token", env.base()), &[("input_token", &long)], Some(&app_token))
        .await;
    assert_eq!(dbg.body["data"]["is_valid"], true);
    assert_eq!(dbg.body["data"]["type"], "USER");
    assert!(dbg.body["data"]["expires_at"].as_i64().unwrap() > 0);
    let dbg = env
        .get_url(&format!("{}/debug_token", env.base()), &[("input_token", &user)], Some(&app_token))
        .await;
    assert_eq!(dbg.body["data"]["is_valid"], false);
    assert_eq!(dbg.body["data"]["error"]["subcode"], 463);
    // A wrong secret is refused.
    let r = env
        .get_url(
            &token_url,
            &[("grant_type", "client_credentials"), ("client_id", &app_id), ("client_secret", "nope")],
            None,
        )
        .await;
    assert_eq!(r.code(), 1);
    env.server.shutdown().await;
}

#[tokio::test]
async fn appsecret_proof_plain_and_time_stamped() {
    let env = start(SimConfig { require_appsecret_proof: true, ..world(7, 8) }).await;
    let secret = env.server.sim().config().app_secret.clone();
    let url = format!("{}/{}", env.base(), env.account(0));
    let r = env.get_url(&url, &[], Some(&env.token)).await;
    assert_eq!(r.code(), 100, "the proof is required");
    let proof = appsecret_proof(&secret, &env.token);
    assert_eq!(env.get_url(&url, &[("appsecret_proof", &proof)], Some(&env.token)).await.status, 200);
    let r = env.get_url(&url, &[("appsecret_proof", &"0".repeat(64))], Some(&env.token)).await;
    assert!(r.message().contains("Invalid appsecret_proof"));
    let now = chrono::Utc::now().timestamp();
    let t = now.to_string();
    let timed = appsecret_proof(&secret, &format!("{}|{now}", env.token));
    let ok =
        env.get_url(&url, &[("appsecret_proof", &timed), ("appsecret_time", &t)], Some(&env.token)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let old = now - 301;
    let stale = appsecret_proof(&secret, &format!("{}|{old}", env.token));
    let r = env
        .get_url(&url, &[("appsecret_proof", &stale), ("appsecret_time", &old.to_string())], Some(&env.token))
        .await;
    assert_eq!(r.code(), 100, "time-stamped proofs expire after 5 minutes");
    env.server.shutdown().await;
}

#[tokio::test]
async fn tokens_in_the_url_are_recorded_and_echoed_into_next() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let url = format!("{}/{}/campaigns", env.base(), env.account(0));
    let r = env.get_url(&url, &[("access_token", &env.token), ("limit", "1")], None).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body["paging"]["next"].as_str().unwrap().contains("access_token="),
        "Meta echoes the query into next"
    );
    env.get(&format!("{}/campaigns", env.account(0)), &[("limit", "1")]).await;
    let log = sim.stats().log;
    assert!(log[0].token_in_url);
    assert!(!log[1].token_in_url);
    assert!(log[0].params.iter().all(|(_, v)| !v.contains(&env.token)), "the log never holds the token");
    assert_eq!(sim.stats().tokens_in_url, 1);
    env.server.shutdown().await;
}

#[tokio::test]
async fn debug_output_holds_no_secrets_and_denial_redirects_with_an_error() {
    let env = start(world(7, 8)).await;
    let sim = env.server.sim();
    let shown = format!("{:?} {:?}", env.server, sim.config());
    assert!(!shown.contains(&env.token));
    assert!(!shown.contains(&sim.config().app_secret));
    let r = env
        .http
        .get(format!("{}/dialog/oauth", env.base()))
        .query(&[
            ("client_id", sim.config().app_id.as_str()),
            ("redirect_uri", "https://example.com/cb"),
            ("state", "s"),
            ("sim_outcome", "deny"),
        ])
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap();
    assert!(
        location.contains("error=access_denied")
            && location.contains("error_reason=user_denied")
            && location.contains("state=s")
    );
    env.server.shutdown().await;
}
