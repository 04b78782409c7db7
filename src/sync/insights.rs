//! Daily insights: per account and level, one account-level query per date chunk
//! (`level=…&time_increment=1&time_range=…`), pages of every account in shared batches. Rows
//! commit as they arrive; a level's cursor advances, in the same transaction, only over the
//! contiguous prefix of chunks that are complete ([`ChunkLedger`]). "Too much data" splits a
//! chunk in two; a single day that is still too much goes through an async report run
//! (docs/graph-api.md §5.3).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::errors::StreamError;
use super::ledger::ChunkLedger;
use super::pager::{Event, Job, Pager};
use super::plan::{DateWindow, ObjectCounts, WindowInputs, days_per_chunk, insights_window, today_in};
use super::requests::{insights_params, insights_request};
use super::state::{AccountInfo, PassContext, Round, RunState, StoredCursors};
use crate::graph::GraphError;
use crate::graph::paging::ListingStop;
use crate::ids::{AccountId, InsightsCursor, Stream};
use crate::mapping::{MapContext, map_insight};
use crate::model::{InsightLevel, InsightRow};

/// Identifies one chunk query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChunkKey {
    /// Ad account.
    pub account: AccountId,
    /// Reporting level.
    pub level: InsightLevel,
    /// Days of the chunk.
    pub window: DateWindow,
}

impl ChunkKey {
    fn stream(&self) -> Stream {
        Stream::Insights(self.level)
    }
}

/// Knobs of the insights phase.
#[derive(Debug, Clone)]
pub struct InsightsPlan {
    /// Levels to load.
    pub levels: Vec<InsightLevel>,
    /// Days re-read before the cursor.
    pub lookback_days: u32,
    /// First day of a first sync.
    pub start_date: Option<NaiveDate>,
    /// `--since` / `--until`.
    pub since_override: Option<NaiveDate>,
    /// See `since_override`.
    pub until_override: Option<NaiveDate>,
    /// Rows per page.
    pub page_size: u32,
    /// Rows one chunk query should hold at most (objects × days).
    pub target_rows_per_query: usize,
    /// Action types counted as conversions.
    pub conversion_action_types: Vec<String>,
}

/// A page mapped to warehouse rows, or why it could not be.
type Mapped = Result<Vec<InsightRow>, GraphError>;

/// The insights phase of one run: the chunk queries and which of them are complete.
struct InsightsPhase<'a> {
    ctx: &'a PassContext,
    plan: &'a InsightsPlan,
    pager: Pager<ChunkKey, Mapped>,
    ledgers: HashMap<(AccountId, InsightLevel), ChunkLedger>,
    /// The stored cursor of each level: a window ending before it (`--until` an earlier day)
    /// never moves it back.
    stored: HashMap<(AccountId, InsightLevel), NaiveDate>,
}

/// Loads the insights windows of every active account.
pub async fn sync_insights(
    ctx: &PassContext,
    state: &mut RunState,
    cursors: &StoredCursors,
    counts: &ObjectCounts,
    plan: &InsightsPlan,
) -> anyhow::Result<()> {
    let now = ctx.now;
    let mapper = {
        let accounts: Arc<HashMap<AccountId, AccountInfo>> = Arc::new(state.accounts.clone());
        let types = Arc::new(plan.conversion_action_types.clone());
        move |key: &ChunkKey, rows: Vec<Value>| match accounts.get(&key.account) {
            Some(info) => map_page(info, key.level, &types, now, rows),
            None => Ok(Vec::new()),
        }
    };
    let pager = Pager::with_transform(ctx.graph.clone(), ctx.pager.clone(), Arc::new(mapper));
    let mut phase = InsightsPhase { ctx, plan, pager, ledgers: HashMap::new(), stored: HashMap::new() };
    phase.seed(state, cursors, counts).await;
    while !phase.pager.is_empty() {
        let mut round = Round::default();
        for event in phase.pager.round().await {
            phase.handle(state, event, &mut round).await;
        }
        phase.pager.retain(|k| state.stream_active(&k.account, k.stream()));
        state.commit(round).await?;
    }
    state.flush().await
}

impl InsightsPhase<'_> {
    /// Plans every (account, level) window into chunks and queues their first pages. A stored
    /// cursor that does not parse fails its stream instead of reloading from the start date.
    async fn seed(&mut self, state: &mut RunState, cursors: &StoredCursors, counts: &ObjectCounts) {
        let plan = self.plan;
        for account in state.account_ids() {
            let Some(info) = state.accounts.get(&account) else { continue };
            let today = today_in(&info.timezone, self.ctx.now);
            for &level in &plan.levels {
                let stream = Stream::Insights(level);
                let cursor = match cursors.get(&(account.clone(), stream)) {
                    None => None,
                    Some(raw) => match InsightsCursor::parse(&account, stream, raw) {
                        Ok(c) => Some(c.0),
                        Err(bad) => {
                            state.fail(&account, stream, &bad.into()).await;
                            continue;
                        }
                    },
                };
                let window = insights_window(WindowInputs {
                    cursor,
                    lookback_days: plan.lookback_days,
                    start_date: plan.start_date,
                    today,
                    since_override: plan.since_override,
                    until_override: plan.until_override,
                });
                if let Some(cursor) = cursor {
                    self.stored.insert((account.clone(), level), cursor);
                }
                let Some(window) = window else { continue };
                let objects = match level {
                    InsightLevel::Account => 1,
                    _ => counts.get(&(account.clone(), level)).copied().unwrap_or(0),
                };
                let chunks = window.chunks(days_per_chunk(objects, plan.target_rows_per_query));
                let expected =
                    |w: DateWindow| (objects > 0).then(|| objects.saturating_mul(w.days() as usize));
                self.ledgers.insert((account.clone(), level), ChunkLedger::new(&chunks));
                for chunk in chunks {
                    let key = ChunkKey { account: account.clone(), level, window: chunk };
                    let req = insights_request(&account, level, chunk, plan.page_size);
                    self.pager.push(Job::new(key, req).expecting(expected(chunk)));
                }
            }
        }
    }

    /// Adds a page's rows to `round` (with the cursor it completes), splits a chunk that is
    /// too much data, or records a failure.
    async fn handle(&mut self, state: &mut RunState, event: Event<ChunkKey, Mapped>, round: &mut Round) {
        match event {
            Event::Page { key, rows, last } => {
                if !state.stream_active(&key.account, key.stream()) {
                    return;
                }
                match rows {
                    Ok(rows) => round.rows.insights.extend(rows),
                    Err(e) => return state.fail(&key.account, key.stream(), &e.into()).await,
                }
                if last {
                    self.complete(&key, round);
                }
            }
            Event::Failed { key, error } if state.stream_active(&key.account, key.stream()) => match error {
                StreamError::Graph(GraphError::TooMuchData { .. }) => {
                    self.split_or_report(state, key, round).await
                }
                error => state.fail(&key.account, key.stream(), &error).await,
            },
            Event::Failed { .. } => {}
        }
    }

    /// Marks `key`'s chunk complete and moves the level's cursor as far as the ledger allows.
    fn complete(&mut self, key: &ChunkKey, round: &mut Round) {
        let Some(ledger) = self.ledgers.get_mut(&(key.account.clone(), key.level)) else { return };
        if let Some(day) = ledger.complete(key.window) {
            let stored = self.stored.get(&(key.account.clone(), key.level)).copied();
            let day = stored.map_or(day, |stored| stored.max(day));
            round.advance(&key.account, key.stream(), InsightsCursor(day).to_stored());
            if ledger.is_done() {
                tracing::debug!(account_id = %key.account, level = %key.level, until = %day, "insights window loaded");
            }
        }
    }

    /// "Too much data" for a chunk: query the two halves instead; a single day goes through an
    /// async report run, which Meta allows more data (docs/graph-api.md §5.3).
    async fn split_or_report(&mut self, state: &mut RunState, key: ChunkKey, round: &mut Round) {
        if let Some((a, b)) = key.window.halves() {
            tracing::info!(account_id = %key.account, level = %key.level, since = %key.window.since, until = %key.window.until, "too much data: splitting the date range");
            if let Some(ledger) = self.ledgers.get_mut(&(key.account.clone(), key.level)) {
                ledger.split(key.window, &[a, b]);
            }
            for window in [a, b] {
                let req = insights_request(&key.account, key.level, window, self.plan.page_size);
                self.pager.push(Job::new(ChunkKey { window, ..key.clone() }, req));
            }
            return;
        }
        let now = self.ctx.pager.clock.now();
        if self.ctx.pager.limits.deadline.is_some_and(|d| now >= d) {
            let path = format!("{} (report run)", key.account.edge("insights"));
            let error = StreamError::Listing { path, stop: ListingStop::Deadline { pages: 0 } };
            return state.fail(&key.account, key.stream(), &error).await;
        }
        tracing::info!(account_id = %key.account, level = %key.level, day = %key.window.since, "too much data for one day: using an async report run");
        let params = insights_params(key.level, key.window);
        let result = self.ctx.graph.report_run(&key.account, params).await;
        let Some(info) = state.accounts.get(&key.account).cloned() else { return };
        let mapped = result.and_then(|rows| {
            map_page(&info, key.level, &self.plan.conversion_action_types, self.ctx.now, rows)
        });
        match mapped {
            Ok(rows) => {
                round.rows.insights.extend(rows);
                self.complete(&key, round)
            }
            Err(e) => state.fail(&key.account, key.stream(), &e.into()).await,
        }
    }
}

/// Maps one page of insights rows of `info`'s account at `level`. By value: each parsed row
/// (several KB of JSON nodes) is freed as soon as it is mapped.
fn map_page(
    info: &AccountInfo,
    level: InsightLevel,
    types: &[String],
    now: DateTime<Utc>,
    rows: Vec<Value>,
) -> Mapped {
    let ctx = MapContext {
        account_id: info.id.as_str(),
        currency: &info.currency,
        conversion_action_types: types,
        synced_at: now,
    };
    let bad = |detail: String| GraphError::Protocol { path: info.id.edge("insights"), detail };
    rows.into_iter()
        .map(|row| {
            // Lean pages carry each row as its raw JSON text: parse it only now, one at a time.
            let row = match row {
                Value::String(text) => {
                    serde_json::from_str(&text).map_err(|e| bad(format!("insights row: {e}")))?
                }
                parsed => parsed,
            };
            map_insight(&row, level, &ctx).map_err(|e| bad(e.to_string()))
        })
        .collect()
}
