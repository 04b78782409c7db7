//! An in-process fake of the engine's Graph port (`GraphApi`): a tiny world of ad accounts
//! answered from memory — one campaign, ad set, ad and creative per account, one
//! account-level insights row per day — plus per-test overrides for what HTTP fault injection
//! cannot easily reach (a cursor cycle, an endless listing, a day that is always too much data
//! with a report run that fails). Every request is logged; time passes only on a [`FakeClock`]
//! the fake advances when it serves a page. No HTTP.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use futures_util::future::BoxFuture;
use meta_ads_sync::graph::{GraphError, GraphRequest};
use meta_ads_sync::ids::AccountId;
use meta_ads_sync::sync::ports::{Clock, GraphApi};
use serde_json::{Value, json};

/// Monotonic time that moves only when told to.
#[derive(Debug)]
pub struct FakeClock {
    start: Instant,
    elapsed_ms: AtomicU64,
}

impl FakeClock {
    /// A clock at an arbitrary instant.
    pub fn new() -> Arc<Self> {
        Arc::new(Self { start: Instant::now(), elapsed_ms: AtomicU64::new(0) })
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.elapsed_ms.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.start + Duration::from_millis(self.elapsed_ms.load(Ordering::SeqCst))
    }
}

/// A per-test answer for a request; `None` falls back to the fake world's answer.
pub type Override = Box<dyn Fn(&GraphRequest) -> Option<Result<Value, GraphError>> + Send + Sync>;

/// A per-test answer for a report run of `(account, params)`; `None` falls back to the rows
/// the synchronous query would have served.
pub type ReportOverride =
    Box<dyn Fn(&AccountId, &[(String, String)]) -> Option<Result<Vec<Value>, GraphError>> + Send + Sync>;

/// A report run asked for: the account and the query's parameters.
pub type ReportRun = (AccountId, Vec<(String, String)>);

struct Inner {
    accounts: Vec<AccountId>,
    overrides: Vec<Override>,
    report_override: Option<ReportOverride>,
    clock: Arc<FakeClock>,
    /// Time each request takes, by path suffix.
    slow: Vec<(String, Duration)>,
    log: Mutex<Vec<GraphRequest>>,
    report_runs: Mutex<Vec<ReportRun>>,
}

/// The fake. Cheap to clone; clones share the world and the logs.
#[derive(Clone)]
pub struct FakeGraph(Arc<Inner>);

/// Builds a [`FakeGraph`].
pub struct FakeGraphBuilder(Inner);

impl FakeGraph {
    /// A world of these ad accounts (bare digits).
    pub fn builder(accounts: &[&str]) -> FakeGraphBuilder {
        FakeGraphBuilder(Inner {
            accounts: accounts.iter().map(|a| AccountId::parse(a).unwrap()).collect(),
            overrides: Vec::new(),
            report_override: None,
            clock: FakeClock::new(),
            slow: Vec::new(),
            log: Mutex::new(Vec::new()),
            report_runs: Mutex::new(Vec::new()),
        })
    }

    /// The clock the fake advances.
    pub fn clock(&self) -> Arc<FakeClock> {
        self.0.clock.clone()
    }

    /// Every request served so far (batch items one by one), in order.
    pub fn requests(&self) -> Vec<GraphRequest> {
        self.0.log.lock().unwrap().clone()
    }

    /// Requests to exactly `path`.
    pub fn requests_to(&self, path: &str) -> Vec<GraphRequest> {
        self.requests().into_iter().filter(|r| r.path == path).collect()
    }

    /// Report runs asked for, with their parameters.
    pub fn report_runs(&self) -> Vec<ReportRun> {
        self.0.report_runs.lock().unwrap().clone()
    }

    fn answer(&self, req: &GraphRequest) -> Result<Value, GraphError> {
        self.0.log.lock().unwrap().push(req.clone());
        for (suffix, d) in &self.0.slow {
            if req.path.ends_with(suffix.as_str()) {
                self.0.clock.advance(*d);
            }
        }
        if let Some(answer) = self.0.overrides.iter().find_map(|o| o(req)) {
            return answer;
        }
        self.world(req)
    }

    /// The fake world's answer.
    fn world(&self, req: &GraphRequest) -> Result<Value, GraphError> {
        let unknown = || GraphError::Api {
            status: 400,
            code: 100,
            subcode: None,
            message: format!("the fake does not serve {}", req.path),
            fbtrace_id: None,
            path: req.path.clone(),
        };
        if req.path == "me/adaccounts" {
            let data: Vec<Value> = self.0.accounts.iter().map(account).collect();
            return Ok(json!({ "data": data }));
        }
        let (node, edge) = req.path.split_once('/').unwrap_or((req.path.as_str(), ""));
        let id = self.0.accounts.iter().find(|a| a.node() == node).ok_or_else(unknown)?;
        let n = id.as_str();
        let updated = "2026-06-01T00:00:00+0000";
        let data = match edge {
            "" => return Ok(account(id)),
            "campaigns" => {
                json!([{"id": format!("{n}01"), "name": "c", "effective_status": "ACTIVE", "updated_time": updated}])
            }
            "adsets" => {
                json!([{"id": format!("{n}011"), "campaign_id": format!("{n}01"), "name": "s", "effective_status": "ACTIVE", "updated_time": updated}])
            }
            "ads" => {
                json!([{"id": format!("{n}0111"), "adset_id": format!("{n}011"), "campaign_id": format!("{n}01"), "name": "a", "effective_status": "ACTIVE", "updated_time": updated}])
            }
            "adcreatives" => json!([{"id": format!("{n}9"), "name": "cr"}]),
            "insights" => Value::Array(insight_rows(id, &req.params)),
            _ => return Err(unknown()),
        };
        Ok(json!({ "data": data }))
    }
}

impl FakeGraphBuilder {
    /// Answers matching requests with `answer` instead of the world (first match wins).
    pub fn answer(
        mut self,
        o: impl Fn(&GraphRequest) -> Option<Result<Value, GraphError>> + Send + Sync + 'static,
    ) -> Self {
        self.0.overrides.push(Box::new(o));
        self
    }

    /// Answers report runs with `o` instead of the world.
    pub fn report_runs(
        mut self,
        o: impl Fn(&AccountId, &[(String, String)]) -> Option<Result<Vec<Value>, GraphError>>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.0.report_override = Some(Box::new(o));
        self
    }

    /// Every request whose path ends with `suffix` takes `d` on the fake clock.
    pub fn slow(mut self, suffix: &str, d: Duration) -> Self {
        self.0.slow.push((suffix.to_string(), d));
        self
    }

    /// The fake.
    pub fn build(self) -> FakeGraph {
        FakeGraph(Arc::new(self.0))
    }
}

impl GraphApi for FakeGraph {
    fn call(&self, req: GraphRequest) -> BoxFuture<'_, Result<Value, GraphError>> {
        Box::pin(async move { self.answer(&req) })
    }

    fn batch(&self, reqs: Vec<GraphRequest>) -> BoxFuture<'_, Vec<Result<Value, GraphError>>> {
        Box::pin(async move { reqs.iter().map(|r| self.answer(r)).collect() })
    }

    fn report_run(
        &self,
        account: &AccountId,
        params: Vec<(String, String)>,
    ) -> BoxFuture<'_, Result<Vec<Value>, GraphError>> {
        let account = account.clone();
        Box::pin(async move {
            self.0.report_runs.lock().unwrap().push((account.clone(), params.clone()));
            match self.0.report_override.as_ref().and_then(|o| o(&account, &params)) {
                Some(answer) => answer,
                None => Ok(insight_rows(&account, &params)),
            }
        })
    }

    fn calls(&self) -> u64 {
        self.0.log.lock().unwrap().len() as u64
    }
}

/// The ad account object of `id`.
fn account(id: &AccountId) -> Value {
    json!({
        "id": id.node(), "account_id": id.as_str(), "name": format!("account {id}"),
        "currency": "USD", "timezone_name": "UTC", "account_status": 1,
    })
}

/// The `time_range` of insights parameters.
pub fn time_range(params: &[(String, String)]) -> (NaiveDate, NaiveDate) {
    let text = &params.iter().find(|(k, _)| k == "time_range").expect("time_range").1;
    let range: Value = serde_json::from_str(text).unwrap();
    let day = |k: &str| range[k].as_str().unwrap().parse::<NaiveDate>().unwrap();
    (day("since"), day("until"))
}

/// One account-level row per day of the query's `time_range`.
pub fn insight_rows(id: &AccountId, params: &[(String, String)]) -> Vec<Value> {
    let (since, until) = time_range(params);
    since
        .iter_days()
        .take_while(|d| *d <= until)
        .map(|d| {
            json!({"account_id": id.as_str(), "date_start": d.to_string(), "date_stop": d.to_string(),
                   "impressions": "100", "clicks": "3", "spend": "1.50"})
        })
        .collect()
}

/// A listing page with `data` and, when `after` is set, a `next` link carrying it.
pub fn page(path: &str, data: Value, after: Option<&str>) -> Value {
    match after {
        Some(a) => json!({
            "data": data,
            "paging": {"cursors": {"after": a}, "next": format!("https://graph.facebook.com/v26.0/{path}?after={a}")},
        }),
        None => json!({ "data": data }),
    }
}
