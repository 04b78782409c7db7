//! What the simulator saw: counters by endpoint and kind, and a request log tests assert on
//! (including whether a token travelled in the URL).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// One logged call (top-level HTTP request or batch item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestLog {
    /// Milliseconds since the simulator started.
    pub at_ms: u64,
    /// HTTP method.
    pub method: String,
    /// Path without the query, e.g. `/v25.0/act_1/insights`.
    pub path: String,
    /// Endpoint pattern, e.g. `/act_{id}/insights`.
    pub endpoint: String,
    /// Parameters (query and form) with secret values replaced by `[redacted]`.
    pub params: Vec<(String, String)>,
    /// Numeric ad account id the call hit, if any.
    pub account_id: Option<String>,
    /// An insights call (`/insights`, sync or async).
    pub insights: bool,
    /// An item of a batch.
    pub batch_item: bool,
    /// HTTP status (for batch items, the item's `code`; 0 for a `null` item).
    pub status: u16,
    /// Graph error code, when the answer was an error.
    pub error_code: Option<i64>,
    /// Graph error subcode.
    pub error_subcode: Option<i64>,
    /// An access token appeared in the URL query string (a leak: tokens belong in headers).
    pub token_in_url: bool,
    /// Insight rows in the answer.
    pub rows: u64,
    /// Injected fault, if any (e.g. `error 80004`, `reset`).
    pub fault: Option<String>,
}

/// Counters and the request log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimStats {
    /// HTTP requests received (a batch counts once here).
    pub http_requests: u64,
    /// Graph calls: top-level calls other than batch envelopes, plus batch items.
    pub calls: u64,
    /// Calls per endpoint pattern and method, e.g. `GET /act_{id}/insights`.
    pub by_endpoint: BTreeMap<String, u64>,
    /// Insights calls (sync and async creation).
    pub insights_calls: u64,
    /// Insight rows served.
    pub insight_rows: u64,
    /// Batch envelopes.
    pub batch_requests: u64,
    /// Batch items.
    pub batch_items: u64,
    /// Batch items answered `null`.
    pub null_batch_items: u64,
    /// Faults injected.
    pub injected_faults: u64,
    /// Calls refused by a rate limit (not injected).
    pub throttled: u64,
    /// Error answers by code (as text, e.g. `"80004"` or `"100/1487534"`).
    pub errors_by_code: BTreeMap<String, u64>,
    /// Most requests in flight at once.
    pub peak_concurrent: u64,
    /// Calls that carried an access token in the URL.
    pub tokens_in_url: u64,
    /// Async report runs created.
    pub async_jobs: u64,
    /// The most recent calls, oldest first.
    pub log: Vec<RequestLog>,
}

/// Mutable stats state.
#[derive(Debug, Default)]
pub(crate) struct StatsState {
    pub s: SimStats,
    pub log: VecDeque<RequestLog>,
}

impl StatsState {
    /// Records one call.
    pub(crate) fn record(&mut self, entry: RequestLog, throttled: bool, limit: usize) {
        let s = &mut self.s;
        s.calls += 1;
        *s.by_endpoint.entry(format!("{} {}", entry.method, entry.endpoint)).or_default() += 1;
        if entry.insights {
            s.insights_calls += 1;
        }
        s.insight_rows += entry.rows;
        if entry.batch_item {
            s.batch_items += 1;
            if entry.status == 0 {
                s.null_batch_items += 1;
            }
        }
        if entry.fault.is_some() {
            s.injected_faults += 1;
        }
        if throttled {
            s.throttled += 1;
        }
        if let Some(code) = entry.error_code {
            let key = match entry.error_subcode {
                Some(sub) if code == 100 || code == 190 => format!("{code}/{sub}"),
                _ => code.to_string(),
            };
            *s.errors_by_code.entry(key).or_default() += 1;
        }
        if entry.token_in_url {
            s.tokens_in_url += 1;
        }
        self.log.push_back(entry);
        while self.log.len() > limit {
            self.log.pop_front();
        }
    }

    /// A snapshot with the log.
    pub(crate) fn snapshot(&self) -> SimStats {
        let mut s = self.s.clone();
        s.log = self.log.iter().cloned().collect();
        s
    }
}
