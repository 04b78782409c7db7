//! Secrets: a run with faults injected, every log line captured at TRACE level; the access
//! tokens and the app secret appear in no log line, no error, no `Debug` output and no URL.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::client::*;
use futures_util::StreamExt;
use meta_ads_sync::graph::{GraphError, GraphRequest};
use meta_ads_sync::sim::{Fault, FaultRule, SimConfig, SimLimits};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_in_logs_errors_or_urls() {
    let logs = Buffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // The simulator's old default budget, 200 calls an hour: this run's calls (page size 3, faults
    // retried) stay below the client's slow-down threshold, as the test was written for. At the
    // tier's default (about 75 points per account here) the client rightly spaces its calls out,
    // which takes a minute of real time.
    let limits =
        SimLimits { window: Duration::from_secs(3600), account_calls: Some(200), ..SimLimits::default() };
    let env =
        start(SimConfig { require_appsecret_proof: true, empty_page_rate: 0.2, limits, ..world(11, 8) })
            .await;
    let app_secret = env.sim.config().app_secret.clone();
    let expired = env.sim.issue_token(Some(Duration::from_secs(3600)));
    env.sim.expire_token(&expired);
    let fresh = env.sim.issue_token(None);
    let tokens = Rotating::new(expired.clone(), Some(fresh.clone()));
    let mut cfg = fast();
    cfg.app_secret = Some(app_secret.clone().into());
    cfg.page_size = 3;
    let client = env.client_with(cfg, tokens);
    let (a, b, c) = (env.account(0), env.account(1), env.account(2));

    // Faults across the policy: transient, HTML, reset, throttle, invalid, permission, null items,
    // too much data, a failed async job; plus the expired token refreshed on the first call.
    env.sim.inject(FaultRule::error(1).rate(0.15));
    env.sim.inject(FaultRule::new(Fault::Html500).rate(0.05));
    env.sim.inject(FaultRule::new(Fault::Reset).rate(0.05));
    env.sim.inject(FaultRule::error(613).on_account(&b).first(1));
    env.sim.inject(FaultRule::new(Fault::BatchNull).in_batch(true).rate(0.2));
    env.sim.inject(FaultRule::error(100).on_path("adsets").first(1));
    env.sim.inject(FaultRule::error(200).on_path("adcreatives").first(1));
    env.sim.inject(FaultRule::new(Fault::TooMuchData).on_path(&format!("{c}/insights")).first(1));
    env.sim.inject(FaultRule::new(Fault::JobFailed { code: None, subcode: None }).on_method("POST").first(1));

    let mut errors: Vec<GraphError> = Vec::new();
    let mut outcomes = Vec::new();
    for act in [&a, &b, &c] {
        for edge in ["campaigns", "adsets", "ads", "adcreatives"] {
            let req =
                GraphRequest::get(format!("{act}/{edge}")).param("fields", "id,name").account(act.clone());
            let mut pages = client.pages(req);
            while let Some(page) = pages.next().await {
                match page {
                    Ok(rows) => outcomes.push(rows.len()),
                    Err(e) => {
                        errors.push(e);
                        break;
                    }
                }
            }
        }
        let insights = GraphRequest::get(format!("{act}/insights"))
            .param("level", "campaign")
            .account(act.clone())
            .insights();
        if let Err(e) = client.call(&insights).await {
            errors.push(e);
        }
    }
    let batch: Vec<GraphRequest> = [&a, &b, &c]
        .iter()
        .map(|x| GraphRequest::get((*x).clone()).param("fields", "id").account((*x).clone()))
        .collect();
    for r in client.batch(batch).await {
        if let Err(e) = r {
            errors.push(e);
        }
    }
    let run = client
        .report_run(&a, vec![("level".into(), "campaign".into()), ("time_increment".into(), "1".into())])
        .await;
    if let Err(e) = run {
        errors.push(e);
    }

    // The run did go through the policy: refresh, skips, re-authorization, too much data.
    assert_eq!(client.stats().token_refreshes, 1);
    assert!(errors.iter().any(|e| matches!(e, GraphError::Skipped { .. })), "{errors:?}");
    assert!(errors.iter().any(|e| matches!(e, GraphError::NeedsReauth { .. })), "{errors:?}");
    assert!(errors.iter().any(|e| matches!(e, GraphError::TooMuchData { .. })), "{errors:?}");
    assert!(!outcomes.is_empty());
    let stats = env.sim.stats();
    assert!(stats.injected_faults > 5, "{}", stats.injected_faults);
    assert_eq!(stats.tokens_in_url, 0, "no token in any URL");
    assert!(
        stats.log.iter().all(|r| r.params.iter().all(|(k, _)| k != "access_token")),
        "token only as a header"
    );
    assert_eq!(
        stats.errors_by_code.get("100"),
        Some(&1),
        "only the injected 100: every appsecret_proof passed"
    );
    let mut seen = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(seen.contains("graph request"), "the client's own debug lines were captured");
    for e in &errors {
        seen.push_str(&format!("{e}\n{e:?}\n"));
    }
    seen.push_str(&format!("{client:?}\n{:?}\n{:?}\n", client.stats(), client.skipped()));
    for secret in [expired.as_str(), fresh.as_str(), app_secret.as_str()] {
        assert!(!seen.contains(secret), "a secret leaked into logs or errors");
    }
    env.stop().await;
}
