//! Runs many paged listings at once through Graph batches: every round sends the next page of
//! up to `batch_size × batches_in_flight` jobs (first pages and follow-up pages of any account,
//! stream or date chunk), so a sync of many accounts makes few round trips. Each batch item is
//! still one call against its account's budget; the client classifies and retries every item on
//! its own and re-sends `null` items.

use std::collections::VecDeque;

use futures_util::future::join_all;
use serde_json::Value;

use crate::graph::paging::read_page;
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
}

impl<K: Clone + Send + 'static> Pager<K> {
    /// A pager sending batches of `batch_size` items, `batches_in_flight` at a time.
    pub fn new(client: GraphClient, batch_size: usize, batches_in_flight: usize) -> Self {
        Self {
            client,
            queue: VecDeque::new(),
            batch_size: batch_size.max(1),
            batches_in_flight: batches_in_flight.max(1),
        }
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
        let take = (self.batch_size * self.batches_in_flight).min(self.queue.len());
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
                Ok((rows, after)) => {
                    let last = after.is_none();
                    if let Some(after) = after {
                        let mut req = job.req;
                        req.set_param("after", Some(after));
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

/// A listing answer into its rows and next cursor; a node read (no `data`) is one row.
fn split_page(req: &GraphRequest, body: Value) -> Result<(Vec<Value>, Option<String>), GraphError> {
    if body.get("data").is_none() && body.is_object() {
        return Ok((vec![body], None));
    }
    let page = read_page(&body).map_err(|detail| GraphError::Protocol { path: req.path.clone(), detail })?;
    if page.after.as_deref().is_some_and(|a| Some(a) == req.get_param("after")) {
        let detail = "paging cursor did not advance".to_string();
        return Err(GraphError::Protocol { path: req.path.clone(), detail });
    }
    Ok((page.data, page.after))
}
