//! The simulator side of the tests: the one parameterised test world on a fixed clock,
//! starting a simulator, and HTTP helpers that send the token in the `Authorization` header.

use std::sync::Arc;

use meta_ads_sync::sim::{Sim, SimConfig, SimServer};
use reqwest::StatusCode;
use serde_json::Value;

/// Fixed clock of every test world.
pub const NOW: &str = "2026-09-03T17:00:00Z";

/// The test world: 3 accounts (USD, EUR, JPY) in 2 businesses, `campaigns_per_account`
/// campaigns each with 2 ad sets of 2 ads, 30 days of insights, the clock fixed at [`NOW`], no
/// empty pages; `seed` picks everything else. Tests vary it with struct update syntax.
pub fn world(seed: u64, campaigns_per_account: usize) -> SimConfig {
    SimConfig {
        seed,
        businesses: 2,
        accounts: 3,
        campaigns_per_account,
        adsets_per_campaign: 2,
        ads_per_adset: 2,
        days: 30,
        now: Some(NOW.parse().unwrap()),
        empty_page_rate: 0.0,
        ..SimConfig::default()
    }
}

/// A running simulator with its system-user token and an HTTP client that never follows
/// redirects.
pub struct Env {
    pub server: SimServer,
    pub sim: Arc<Sim>,
    pub token: String,
    pub http: reqwest::Client,
}

/// Starts a simulator on `cfg`.
pub async fn start(cfg: SimConfig) -> Env {
    let server = SimServer::start(cfg).await.expect("simulator starts");
    let sim = server.sim();
    let token = sim.system_user_token();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Env { server, sim, token, http }
}

/// An answer: status, headers and JSON body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// `error.code` of an error body.
    pub fn code(&self) -> i64 {
        self.body["error"]["code"].as_i64().unwrap_or_default()
    }

    /// `error.error_subcode` of an error body.
    pub fn subcode(&self) -> Option<i64> {
        self.body["error"]["error_subcode"].as_i64()
    }

    /// `error.message` of an error body.
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().expect("an error body with a message")
    }

    /// `data` as an array.
    pub fn data(&self) -> Vec<Value> {
        self.body["data"].as_array().cloned().unwrap_or_default()
    }

    /// A header as a JSON value.
    pub fn header_json(&self, name: &str) -> Value {
        let raw = self.headers.get(name).unwrap_or_else(|| panic!("header {name} missing"));
        serde_json::from_str(raw.to_str().unwrap()).unwrap()
    }
}

impl Env {
    /// Versioned root.
    pub fn base(&self) -> String {
        self.server.base_url()
    }

    /// Ad account `i` (`act_…`).
    pub fn account(&self, i: usize) -> String {
        self.sim.account_ids()[i].clone()
    }

    /// Stops the simulator.
    pub async fn stop(self) {
        self.server.shutdown().await;
    }

    /// GET `base/path?query` with the bearer token.
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Answer {
        let url = format!("{}/{}", self.base(), path.trim_start_matches('/'));
        self.get_url(&url, query, Some(&self.token)).await
    }

    /// GET an absolute URL.
    pub async fn get_url(&self, url: &str, query: &[(&str, &str)], token: Option<&str>) -> Answer {
        let mut req = self.http.get(url).query(query);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        answer(req.send().await.expect("request")).await
    }

    /// POST a form to `base/path`.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        let url = format!("{}/{}", self.base(), path.trim_start_matches('/'));
        answer(self.http.post(url).bearer_auth(&self.token).form(form).send().await.expect("request")).await
    }

    /// Follows `next` links from a first page, collecting every row; returns rows and pages.
    pub async fn collect(&self, path: &str, query: &[(&str, &str)]) -> (Vec<Value>, usize) {
        let mut page = self.get(path, query).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let mut rows = page.data();
        let mut pages = 1;
        while let Some(next) = page.body["paging"]["next"].as_str().map(str::to_string) {
            page = self.get_url(&next, &[], Some(&self.token)).await;
            assert_eq!(page.status, 200, "{}", page.body);
            rows.extend(page.data());
            pages += 1;
            assert!(pages < 10_000, "paging does not end");
        }
        (rows, pages)
    }
}

/// Reads a response.
pub async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer { status, headers, body }
}

/// Every effective status, for filters that must see everything.
pub const ALL_STATUSES: &str = r#"["ACTIVE","PAUSED","DELETED","ARCHIVED","IN_PROCESS","WITH_ISSUES","CAMPAIGN_PAUSED","ADSET_PAUSED","PENDING_REVIEW","DISAPPROVED","PREAPPROVED","PENDING_BILLING_INFO"]"#;

/// `filtering` on `<entity>.effective_status IN` every status.
pub fn all_statuses(entity: &str) -> String {
    format!(r#"[{{"field":"{entity}.effective_status","operator":"IN","value":{ALL_STATUSES}}}]"#)
}
