//! Runs many paged listings at once through Graph batches: every round sends the next page of
//! up to `batch_size × batches_in_flight` jobs (first pages and follow-up pages of any account,
//! stream or date chunk), so a sync of many accounts makes few round trips. Each batch item is
//! still one call against its account's budget; the client classifies and retries every item on
//! its own and re-sends `null` items.

use std::collections::VecDeque;

use futures_util::future::join_all;
use serde_json::Value;

use crate::graph::{GraphClient, GraphError, GraphRequest};

/// One listing to page through; `key` says what it is to the caller.
#[derive(Debug, Clone)]
pub struct Job<K> {
    /// Caller's identification of the listing.
    pub key: K,
    /// The request of the next page.
    pub req: GraphRequest,
}

/// What a round produced for one job.
#[derive(Debug)]
pub enum Event<K> {
    /// A page of rows; `last` when the listing is complete.
    Page {
        /// The job.
        key: K,
        /// The rows (`data`), or the object itself for a node read such as `act_X`.
        rows: Vec<Value>,
        /// No further page.
        last: bool,
    },
    /// The job failed after the client's retries; its later pages are not requested.
    Failed {
        /// The job.
        key: K,
        /// Why.
        error: GraphError,
    },
}

/// A queue of listings, paged through in batched rounds.
pub struct Pager<K> {
    client: GraphClient,
    queue: VecDeque<Job<K>>,
    batch_size: usize,
    batches_in_flight: usize,
    max_rows_per_round: usize,
}

/// Rows one round may bring back at most (sum of the pages' `limit`s): bounds the memory of a
/// sync whatever the dataset size.
pub const DEFAULT_MAX_ROWS_PER_ROUND: usize = 10_000;

impl<K: Clone + Send + 'static> Pager<K> {
    /// A pager sending batches of `batch_size` items, `batches_in_flight` at a time.
    pub fn new(client: GraphClient, batch_size: usize, batches_in_flight: usize) -> Self {
        Self {
            client,
            queue: VecDeque::new(),
            batch_size: batch_size.max(1),
            batches_in_flight: batches_in_flight.max(1),
            max_rows_per_round: DEFAULT_MAX_ROWS_PER_ROUND,
        }
    }

    /// Caps the rows a round may bring back (at least one job is always sent).
    pub fn with_max_rows_per_round(mut self, rows: usize) -> Self {
        self.max_rows_per_round = rows.max(1);
        self
    }

    /// How many queued jobs the next round takes: up to the batch capacity, and while the sum
    /// of their page sizes stays within the rows budget.
    fn next_round_len(&self) -> usize {
        let capacity = (self.batch_size * self.batches_in_flight).min(self.queue.len());
        let mut rows = 0usize;
        let mut n = 0;
        for job in self.queue.iter().take(capacity) {
            rows += job.req.limit().map_or(100, |l| l as usize);
            if n > 0 && rows > self.max_rows_per_round {
                break;
            }
            n += 1;
        }
        n
    }

    /// Adds a listing at the end of the queue.
    pub fn push(&mut self, job: Job<K>) {
        self.queue.push_back(job);
    }

    /// Drops queued jobs for which `keep` is false (e.g. every job of a failed account).
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.queue.retain(|j| keep(&j.key));
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Sends one round and returns its events, in request order. Follow-up pages are queued at
    /// the front, so listings already started finish before new ones start (bounded memory and
    /// earlier cursor advances).
    pub async fn round(&mut self) -> Vec<Event<K>> {
        let take = self.next_round_len();
        let jobs: Vec<Job<K>> = self.queue.drain(..take).collect();
        if jobs.is_empty() {
            return Vec::new();
        }
        let answers: Vec<Result<Value, GraphError>> = if jobs.len() == 1 {
            vec![self.client.call(&jobs[0].req).await]
        } else {
            let batches = jobs.chunks(self.batch_size).map(|c| {
                let client = self.client.clone();
                let reqs: Vec<GraphRequest> = c.iter().map(|j| j.req.clone()).collect();
                async move { client.batch(reqs).await }
            });
            join_all(batches).await.into_iter().flatten().collect()
        };
        let mut events = Vec::with_capacity(jobs.len());
        let mut follow_ups = Vec::new();
        for (job, answer) in jobs.into_iter().zip(answers) {
            match answer.and_then(|body| split_page(&job.req, body)) {
                Ok((rows, after, served_limit)) => {
                    let last = after.is_none();
                    if let Some(after) = after {
                        let mut req = job.req;
                        req.set_param("after", Some(after));
                        // The client may have shrunk the page on "please reduce the amount of
                        // data"; keep the size that worked instead of shrinking again per page.
                        if let Some(limit) = served_limit.filter(|l| req.limit().is_none_or(|r| *l < r)) {
                            req.set_param("limit", Some(limit.to_string()));
                        }
                        follow_ups.push(Job { key: job.key.clone(), req });
                    }
                    events.push(Event::Page { key: job.key, rows, last });
                }
                Err(error) => events.push(Event::Failed { key: job.key, error }),
            }
        }
        for job in follow_ups.into_iter().rev() {
            self.queue.push_front(job);
        }
        events
    }
}

/// A page's rows, the cursor of the next page, and the `limit` the `next` link was served with.
type Split = (Vec<Value>, Option<String>, Option<u32>);

/// A listing answer into its rows, next cursor and served limit; a node read (no `data`) is
/// one row. The rows are moved out of the body, never copied: pages can hold thousands.
/// Only `next` says whether there is more; `cursors.after` exists on the last page too (facts §3).
fn split_page(req: &GraphRequest, mut body: Value) -> Result<Split, GraphError> {
    let protocol = |detail: &str| GraphError::Protocol { path: req.path.clone(), detail: detail.to_string() };
    let Some(object) = body.as_object_mut() else { return Err(protocol("answer is not a JSON object")) };
    let rows = match object.remove("data") {
        None => return Ok((vec![body], None, None)),
        Some(Value::Array(rows)) => rows,
        Some(_) => return Err(protocol("`data` is not an array")),
    };
    let next = body.pointer("/paging/next").and_then(Value::as_str).filter(|n| !n.is_empty());
    let Some(next) = next else { return Ok((rows, None, None)) };
    let after = body.pointer("/paging/cursors/after").and_then(Value::as_str).map(str::to_string);
    let Some(after) = after.filter(|a| !a.is_empty()) else {
        return Err(protocol("`next` without `cursors.after`"));
    };
    if Some(after.as_str()) == req.get_param("after") {
        return Err(protocol("paging cursor did not advance"));
    }
    let served_limit = reqwest::Url::parse(next)
        .ok()
        .and_then(|url| url.query_pairs().find(|(k, _)| k == "limit").and_then(|(_, v)| v.parse().ok()));
    Ok((rows, Some(after), served_limit))
}
