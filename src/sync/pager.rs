//! Runs many paged listings at once through Graph batches: each batch carries the next page of
//! up to `batch_size` jobs (first pages and follow-up pages of any account, stream or date
//! chunk), several batches stay in flight, so a sync of many accounts makes few round trips.
//! Each batch item is still one call against its account's budget; the client classifies and
//! retries every item on its own and re-sends `null` items. Each job follows the one paging
//! engine, [`Listing`] (docs/graph-api.md §3): cursor cycles, the page cap and the pass deadline
//! stop that job alone.

use std::collections::VecDeque;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;
use serde_json::Value;

use super::errors::StreamError;
use super::ports::{Clock, GraphApi};
use crate::graph::paging::{Listing, ListingLimits, read_page};
use crate::graph::{GraphError, GraphRequest};

/// Rows per page assumed for a request without `limit` (Meta's listings default to fewer).
const DEFAULT_PAGE_ROWS: u32 = 100;

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
    listing: Option<Listing>,
}

impl<K> Job<K> {
    /// A listing whose pages may be full.
    pub fn new(key: K, req: GraphRequest) -> Self {
        Self { key, req, expected_rows: None, listing: None }
    }

    /// The same listing, its first page expected to hold about `rows` rows (`None`: unknown).
    pub fn expecting(self, rows: Option<usize>) -> Self {
        Self { expected_rows: rows, ..self }
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
    /// The job failed (after the client's retries) or its listing was stopped; its later
    /// pages are not requested.
    Failed {
        /// The job.
        key: K,
        /// Why.
        error: StreamError,
    },
}

/// What the pager does to a page's rows as soon as they are parsed, inside the batch's task:
/// mapping there frees the (large) JSON values before the next page arrives, and runs beside
/// the caller's writes.
pub type Transform<K, T> = Arc<dyn Fn(&K, Vec<Value>) -> T + Send + Sync>;

/// One job's answer: its transformed rows, next cursor and served page size.
type Answer<T> = Result<(T, Option<String>, Option<u32>), GraphError>;

/// A batch on its way: its jobs, their answers in order (or why the task ended without them),
/// and the rows it may bring.
type Flight<K, T> = BoxFuture<'static, (Vec<Job<K>>, Result<Vec<Answer<T>>, String>, usize)>;

/// How a pager sends its jobs.
#[derive(Debug, Clone)]
pub struct PagerConfig {
    /// Items per Graph batch.
    pub batch_size: usize,
    /// Batches in flight at once.
    pub batches_in_flight: usize,
    /// Page cap and deadline of every listing.
    pub limits: ListingLimits,
    /// Tells the time for the deadline.
    pub clock: Arc<dyn Clock>,
}

/// A queue of listings, paged through in batches that stay in flight while the caller handles
/// the ones that came back: the simulator (or Meta) prepares the next pages while this process
/// parses, maps and writes the last ones.
pub struct Pager<K, T = Vec<Value>> {
    graph: Arc<dyn GraphApi>,
    cfg: PagerConfig,
    queue: VecDeque<Job<K>>,
    in_flight: FuturesUnordered<Flight<K, T>>,
    rows_in_flight: usize,
    stopped: Vec<Event<K, T>>,
    transform: Transform<K, T>,
}

/// Rows the batches in flight may bring back at most (sum of their pages' `limit`s): bounds
/// the memory of a sync whatever the dataset size.
pub const MAX_ROWS_IN_FLIGHT: usize = 5_000;

impl<K: Clone + Send + 'static> Pager<K> {
    /// A pager handing back the rows as parsed.
    pub fn new(graph: Arc<dyn GraphApi>, cfg: PagerConfig) -> Self {
        Pager::with_transform(graph, cfg, Arc::new(|_: &K, rows| rows))
    }
}

impl<K: Clone + Send + 'static, T: Send + 'static> Pager<K, T> {
    /// A pager that applies `transform` to every page's rows in the batch's task.
    pub fn with_transform(
        graph: Arc<dyn GraphApi>,
        mut cfg: PagerConfig,
        transform: Transform<K, T>,
    ) -> Self {
        cfg.batch_size = cfg.batch_size.max(1);
        cfg.batches_in_flight = cfg.batches_in_flight.max(1);
        Self {
            graph,
            cfg,
            queue: VecDeque::new(),
            in_flight: FuturesUnordered::new(),
            rows_in_flight: 0,
            stopped: Vec::new(),
            transform,
        }
    }

    /// Adds a listing at the end of the queue.
    pub fn push(&mut self, mut job: Job<K>) {
        let full = job.req.limit().unwrap_or(DEFAULT_PAGE_ROWS);
        job.listing.get_or_insert_with(|| Listing::new(full, self.cfg.limits));
        self.queue.push_back(job);
    }

    /// Drops queued jobs for which `keep` is false (e.g. every job of a failed account); pages
    /// already in flight still come back, and the caller ignores them.
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.queue.retain(|j| keep(&j.key));
    }

    /// Whether nothing is queued, in flight or waiting to be reported.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty() && self.in_flight.is_empty() && self.stopped.is_empty()
    }

    /// Sends batches while the in-flight limits allow; jobs past the deadline are stopped.
    fn launch(&mut self) {
        let now = self.cfg.clock.now();
        while self.in_flight.len() < self.cfg.batches_in_flight && !self.queue.is_empty() {
            let mut jobs = Vec::new();
            let mut rows = 0;
            while let Some(job) = self.queue.front() {
                if let Some(Err(stop)) = job.listing.as_ref().map(|l| l.check_send(now)) {
                    if let Some(job) = self.queue.pop_front() {
                        let error = StreamError::Listing { path: job.req.path, stop };
                        self.stopped.push(Event::Failed { key: job.key, error });
                    }
                    continue;
                }
                let page = job.req.limit().map_or(DEFAULT_PAGE_ROWS as usize, |l| l as usize);
                let limit = job.expected_rows.map_or(page, |r| r.clamp(1, page));
                let nothing_else = self.in_flight.is_empty() && jobs.is_empty();
                if jobs.len() == self.cfg.batch_size
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
            let (graph, transform) = (self.graph.clone(), self.transform.clone());
            let sent: Vec<(K, GraphRequest)> = jobs.iter().map(|j| (j.key.clone(), j.req.clone())).collect();
            let task = tokio::spawn(async move {
                let bodies = if sent.len() == 1 {
                    vec![graph.call(sent[0].1.clone()).await]
                } else {
                    graph.batch(sent.iter().map(|(_, r)| r.clone()).collect()).await
                };
                sent.iter()
                    .zip(bodies)
                    .map(|((key, req), body)| {
                        let (data, after, served) = split_page(req, body?)?;
                        Ok((transform(key, data), after, served))
                    })
                    .collect::<Vec<Answer<T>>>()
            });
            self.in_flight.push(Box::pin(async move {
                let answers = task.await.map_err(|e| format!("the task reading the answers ended: {e}"));
                (jobs, answers, rows)
            }));
        }
    }

    /// Returns the events of the next batch to come back, in request order, after sending more
    /// (and the jobs stopped before they could be sent). Follow-up pages are queued at the
    /// front, so listings already started finish before new ones start (earlier cursor
    /// advances).
    pub async fn round(&mut self) -> Vec<Event<K, T>> {
        self.launch();
        if !self.stopped.is_empty() {
            return std::mem::take(&mut self.stopped);
        }
        let Some((jobs, answers, rows)) = self.in_flight.next().await else { return Vec::new() };
        self.rows_in_flight -= rows;
        let mut events = Vec::with_capacity(jobs.len());
        let mut follow_ups = Vec::new();
        let answers: Vec<Answer<T>> = match answers {
            Ok(answers) => answers,
            Err(detail) => jobs
                .iter()
                .map(|j| Err(GraphError::Protocol { path: j.req.path.clone(), detail: detail.clone() }))
                .collect(),
        };
        for (job, answer) in jobs.into_iter().zip(answers) {
            let (rows, after, served) = match answer {
                Ok(ok) => ok,
                Err(error) => {
                    events.push(Event::Failed { key: job.key, error: error.into() });
                    continue;
                }
            };
            let full = job.req.limit().unwrap_or(DEFAULT_PAGE_ROWS);
            let mut listing = job.listing.unwrap_or_else(|| Listing::new(full, self.cfg.limits));
            match listing.next(&job.req, served, after) {
                Ok(None) => events.push(Event::Page { key: job.key, rows, last: true }),
                Ok(Some(req)) => {
                    let key = job.key.clone();
                    follow_ups.push(Job { key: job.key, req, expected_rows: None, listing: Some(listing) });
                    events.push(Event::Page { key, rows, last: false });
                }
                Err(stop) => {
                    events.push(Event::Page { key: job.key.clone(), rows, last: false });
                    let error = StreamError::Listing { path: job.req.path, stop };
                    events.push(Event::Failed { key: job.key, error });
                }
            }
        }
        for job in follow_ups.into_iter().rev() {
            self.queue.push_front(job);
        }
        self.launch();
        events.append(&mut self.stopped);
        events
    }
}

/// A page's rows, the cursor of the next page, and the `limit` the `next` link was served with.
type Split = (Vec<Value>, Option<String>, Option<u32>);

/// A listing answer into its rows, next cursor and served limit ([`read_page`]); a node read
/// (no `data`) is one row.
fn split_page(req: &GraphRequest, body: Value) -> Result<Split, GraphError> {
    if body.is_object() && body.get("data").is_none() {
        return Ok((vec![body], None, None));
    }
    let page = read_page(body).map_err(|detail| GraphError::Protocol { path: req.path.clone(), detail })?;
    Ok((page.data, page.after, page.served_limit))
}
