//! Runs many paged listings at once through Graph batches: each batch carries the next page of
//! up to `batch_size` jobs (first pages and follow-up pages of any account, stream or date
//! chunk), several batches stay in flight, so a sync of many accounts makes few round trips. Each batch item is
//! still one call against its account's budget; the client classifies and retries every item on
//! its own and re-sends `null` items.

use std::collections::VecDeque;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::Value;
use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::graph::paging::read_page;
use crate::graph::{GraphClient, GraphError, GraphRequest};

/// One listing to page through; `key` says what it is to the caller.
#[derive(Debug, Clone)]
pub struct Job<K> {
    /// Caller's identification of the listing.
    pub key: K,
    /// The request of the next page.
    pub req: GraphRequest,
    /// Rows the page is expected to hold when known to be fewer than its `limit` (a small
    /// insights chunk), so small pages share batches while the rows budget holds.
    pub expected_rows: Option<usize>,
}

impl<K> Job<K> {
    /// A listing whose pages may be full.
    pub fn new(key: K, req: GraphRequest) -> Self {
        Self { key, req, expected_rows: None }
    }
}

/// What a round produced for one job.
#[derive(Debug)]
pub enum Event<K, T = Vec<Value>> {
    /// A page of rows; `last` when the listing is complete.
    Page {
        /// The job.
        key: K,
        /// The rows (`data`, or the object itself for a node read such as `act_X`), as the
        /// pager's transform made them.
        rows: T,
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

/// What the pager does to a page's rows as soon as they are parsed, inside the batch's task:
/// mapping there frees the (large) JSON values before the next page arrives, and runs beside
/// the caller's writes.
pub type Transform<K, T> = Arc<dyn Fn(&K, Vec<Value>) -> T + Send + Sync>;

/// One job's answer: its transformed rows, next cursor and served page size.
type Answer<T> = Result<(T, Option<String>, Option<u32>), GraphError>;

/// A batch on its way: its jobs, their answers in order, and the rows it may bring.
type Flight<K, T> = JoinHandle<(Vec<Job<K>>, Vec<Answer<T>>, usize)>;

/// A queue of listings, paged through in batches that stay in flight while the caller handles
/// the ones that came back: the simulator (or Meta) prepares the next pages while this process
/// parses, maps and writes the last ones.
pub struct Pager<K, T = Vec<Value>> {
    client: GraphClient,
    queue: VecDeque<Job<K>>,
    batch_size: usize,
    batches_in_flight: usize,
    in_flight: FuturesUnordered<Flight<K, T>>,
    rows_in_flight: usize,
    transform: Transform<K, T>,
}

/// Rows the batches in flight may bring back at most (sum of their pages' `limit`s): bounds
/// the memory of a sync whatever the dataset size.
pub const MAX_ROWS_IN_FLIGHT: usize = 5_000;

impl<K: Clone + Send + 'static> Pager<K> {
    /// A pager sending batches of `batch_size` items, up to `batches_in_flight` at a time,
    /// handing back the rows as parsed.
    pub fn new(client: GraphClient, batch_size: usize, batches_in_flight: usize) -> Self {
        Pager::with_transform(client, batch_size, batches_in_flight, Arc::new(|_: &K, rows| rows))
    }
}

impl<K: Clone + Send + 'static, T: Send + 'static> Pager<K, T> {
    /// A pager that applies `transform` to every page's rows in the batch's task.
    pub fn with_transform(
        client: GraphClient,
        batch_size: usize,
        batches_in_flight: usize,
        transform: Transform<K, T>,
    ) -> Self {
        Self {
            client,
            queue: VecDeque::new(),
            batch_size: batch_size.max(1),
            batches_in_flight: batches_in_flight.max(1),
            in_flight: FuturesUnordered::new(),
            rows_in_flight: 0,
            transform,
        }
    }

    /// Adds a listing at the end of the queue.
    pub fn push(&mut self, job: Job<K>) {
        self.queue.push_back(job);
    }

    /// Drops queued jobs for which `keep` is false (e.g. every job of a failed account); pages
    /// already in flight still come back, and the caller ignores them.
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.queue.retain(|j| keep(&j.key));
    }

    /// Whether nothing is queued or in flight.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty() && self.in_flight.is_empty()
    }

    /// Sends batches while the in-flight limits allow.
    fn launch(&mut self) {
        while self.in_flight.len() < self.batches_in_flight && !self.queue.is_empty() {
            let mut jobs = Vec::new();
            let mut rows = 0;
            while let Some(job) = self.queue.front() {
                let page = job.req.limit().map_or(100, |l| l as usize);
                let limit = job.expected_rows.map_or(page, |r| r.clamp(1, page));
                let nothing_else = self.in_flight.is_empty() && jobs.is_empty();
                if jobs.len() == self.batch_size
                    || (self.rows_in_flight + rows + limit > MAX_ROWS_IN_FLIGHT && !nothing_else)
                {
                    break;
                }
                rows += limit;
                jobs.extend(self.queue.pop_front());
            }
            if jobs.is_empty() {
                return;
            }
            self.rows_in_flight += rows;
            let (client, transform) = (self.client.clone(), self.transform.clone());
            self.in_flight.push(tokio::spawn(async move {
                let bodies = if jobs.len() == 1 {
                    vec![client.call(&jobs[0].req).await]
                } else {
                    client.batch(jobs.iter().map(|j| j.req.clone()).collect()).await
                };
                let answers = jobs
                    .iter()
                    .zip(bodies)
                    .map(|(job, body)| {
                        let (data, after, served) = split_page(&job.req, body?)?;
                        Ok((transform(&job.key, data), after, served))
                    })
                    .collect();
                (jobs, answers, rows)
            }));
        }
    }

    /// Returns the events of the next batch to come back, in request order, after sending more.
    /// Follow-up pages are queued at the front, so listings already started finish before new
    /// ones start (earlier cursor advances).
    pub async fn round(&mut self) -> Vec<Event<K, T>> {
        self.launch();
        let Some(done) = self.in_flight.next().await else { return Vec::new() };
        let (jobs, answers, rows) = done.expect("a batch task panicked");
        self.rows_in_flight -= rows;
        let mut events = Vec::with_capacity(jobs.len());
        let mut follow_ups = Vec::new();
        for (job, answer) in jobs.into_iter().zip(answers) {
            match answer {
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
                        follow_ups.push(Job::new(job.key.clone(), req));
                    }
                    events.push(Event::Page { key: job.key, rows, last });
                }
                Err(error) => events.push(Event::Failed { key: job.key, error }),
            }
        }
        for job in follow_ups.into_iter().rev() {
            self.queue.push_front(job);
        }
        self.launch();
        events
    }
}

/// A page's rows, the cursor of the next page, and the `limit` the `next` link was served with.
type Split = (Vec<Value>, Option<String>, Option<u32>);

/// A listing answer into its rows, next cursor and served limit ([`read_page`]); a node read
/// (no `data`) is one row.
fn split_page(req: &GraphRequest, body: Value) -> Result<Split, GraphError> {
    let protocol = |detail: String| GraphError::Protocol { path: req.path.clone(), detail };
    if body.is_object() && body.get("data").is_none() {
        return Ok((vec![body], None, None));
    }
    let page = read_page(body).map_err(protocol)?;
    if page.after.is_some() && page.after.as_deref() == req.get_param("after") {
        return Err(protocol("paging cursor did not advance".into()));
    }
    Ok((page.data, page.after, page.served_limit))
}
