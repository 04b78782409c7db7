//! Rows are stored under the account the request was for. A hostile HTTP proxy in front of the
//! simulator rewrites `account_id` in one account's campaigns to another account of the same
//! token: that account's campaigns stream fails as a protocol error naming both ids, nothing
//! lands under the other account, and every other stream and account matches the truth.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use meta_ads_sync::ids::AccountId;
use meta_ads_sync::sim::SimServer;
use meta_ads_sync::sync::report::AccountOutcome;
use meta_ads_sync::warehouse::testing::TestDb;
use serde_json::Value;

use crate::support::sync::{config_for, small_world, sync_once, truth};

/// Forwards everything to the simulator; in answers to `act_<victim>/campaigns` (alone or as
/// batch items) every row claims `account_id` = `claimed`.
struct Proxy {
    upstream: String,
    victim: String,
    claimed: String,
    http: reqwest::Client,
}

impl Proxy {
    fn hostile(&self, relative_url: &str) -> bool {
        relative_url.contains(&format!("act_{}/campaigns", self.victim))
    }

    fn rewrite_page(&self, body: &str) -> String {
        let Ok(mut v) = serde_json::from_str::<Value>(body) else { return body.to_string() };
        for row in v["data"].as_array_mut().into_iter().flatten() {
            row["account_id"] = Value::String(self.claimed.clone());
        }
        v.to_string()
    }

    fn rewrite(&self, path_and_query: &str, request: &[u8], response: Bytes) -> Bytes {
        let text = String::from_utf8_lossy(&response).into_owned();
        if self.hostile(path_and_query) {
            return Bytes::from(self.rewrite_page(&text));
        }
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(request).unwrap_or_default();
        let Some((_, batch)) = form.iter().find(|(k, _)| k == "batch") else { return response };
        let items: Vec<Value> = serde_json::from_str(batch).unwrap_or_default();
        let Ok(mut answers) = serde_json::from_str::<Vec<Value>>(&text) else { return response };
        for (item, answer) in items.iter().zip(answers.iter_mut()) {
            let url = item["relative_url"].as_str().unwrap_or_default();
            if self.hostile(url)
                && let Some(body) = answer["body"].as_str().map(str::to_string)
            {
                answer["body"] = Value::String(self.rewrite_page(&body));
            }
        }
        Bytes::from(serde_json::to_string(&answers).unwrap())
    }
}

async fn forward(
    State(p): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path_and_query = uri.path_and_query().map(|x| x.as_str().to_string()).unwrap_or_default();
    let mut req = p.http.request(method, format!("{}{path_and_query}", p.upstream));
    for (k, v) in &headers {
        if k != "host" && k != "content-length" {
            req = req.header(k, v);
        }
    }
    let Ok(answer) = req.body(body.clone()).send().await else {
        return (StatusCode::BAD_GATEWAY, "upstream").into_response();
    };
    let status = answer.status();
    let mut out_headers = HeaderMap::new();
    for (k, v) in answer.headers() {
        if k != "content-length" && k != "transfer-encoding" && k != "connection" {
            out_headers.insert(k.clone(), v.clone());
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    (status, out_headers, p.rewrite(&path_and_query, &body, bytes)).into_response()
}

/// Starts the proxy for `server`; returns its versioned base URL.
async fn start_proxy(server: &SimServer, victim: &str, claimed: &str) -> String {
    let base = server.base_url();
    let (origin, version) = base.rsplit_once('/').unwrap();
    let proxy = Arc::new(Proxy {
        upstream: origin.to_string(),
        victim: victim.to_string(),
        claimed: claimed.to_string(),
        http: reqwest::Client::new(),
    });
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/{version}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_claiming_another_account_fails_its_stream_and_is_not_stored() {
    let server = SimServer::start(small_world()).await.unwrap();
    let ids: Vec<String> = server
        .sim()
        .account_ids()
        .iter()
        .map(|a| AccountId::parse(a).unwrap().as_str().to_string())
        .collect();
    let (victim, claimed) = (ids[0].clone(), ids[1].clone());
    let base = start_proxy(&server, &victim, &claimed).await;
    let db = TestDb::sqlite();
    let wh = db.migrated();
    let mut cfg = config_for(&server, db.url());
    cfg.meta.base_url = base;
    let report = sync_once(&cfg, &wh).await;

    let victim_id = AccountId::parse(&victim).unwrap();
    match &report.accounts[&victim_id] {
        AccountOutcome::Failed(msg) => assert!(
            msg.contains(&format!("`account_id` is {claimed} but the request was for account {victim}")),
            "{msg}"
        ),
        other => panic!("the victim account must fail, got {other:?}"),
    }
    for id in &ids[1..] {
        let outcome = &report.accounts[&AccountId::parse(id).unwrap()];
        assert_eq!(outcome, &AccountOutcome::Succeeded, "{id}");
    }
    let truth = truth(&server);
    let snapshot = wh.snapshot().unwrap();
    let campaigns_of = |rows: &[meta_ads_sync::model::CampaignRow], account: &str| {
        let mut ids: Vec<String> =
            rows.iter().filter(|c| c.account_id == account).map(|c| c.campaign_id.clone()).collect();
        ids.sort();
        ids
    };
    assert!(!campaigns_of(&truth.campaigns, &victim).is_empty(), "the victim has campaigns to steal");
    assert_eq!(
        campaigns_of(&snapshot.campaigns, &claimed),
        campaigns_of(&truth.campaigns, &claimed),
        "nothing of the victim's is filed under the claimed account"
    );
    assert_eq!(
        campaigns_of(&snapshot.campaigns, &victim),
        Vec::<String>::new(),
        "the stream failed on its first row"
    );
    let cursor = wh
        .cursors()
        .unwrap()
        .into_iter()
        .find(|c| c.account_id == victim && c.stream == "campaigns")
        .expect("the victim's campaigns cursor row records the failure");
    assert!(cursor.cursor.is_none(), "the cursor did not advance: {cursor:?}");
    assert!(cursor.last_error.as_deref().unwrap_or_default().contains("account_id"), "{cursor:?}");
    server.shutdown().await;
}
