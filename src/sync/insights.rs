//! Daily insights: per account and level, one account-level query per date chunk
//! (`level=…&time_increment=1&time_range=…`), pages of every account in shared batches. Rows
//! commit as they arrive; a level's cursor advances, in the same transaction, only over the
//! contiguous prefix of chunks that are complete ([`ChunkLedger`]). "Too much data" splits a
//! chunk in two; a single day that is still too much goes through an async report run.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::ledger::ChunkLedger;
use super::pager::{Event, Job, Pager};
use super::plan::{DateWindow, WindowInputs, days_per_chunk, insights_window, today_in};
use super::requests::{insights_params, insights_request};
use super::state::{AccountInfo, RunState};
use super::streams;
use crate::graph::{GraphClient, GraphError};
use crate::mapping::{MapContext, map_insight};
use crate::model::{InsightLevel, InsightRow};
use crate::warehouse::{CursorAdvance, CursorState, WriteBatch};

/// Identifies one chunk query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChunkKey {
    /// Ad account id.
    pub account: String,
    /// Reporting level.
    pub level: InsightLevel,
    /// Days of the chunk.
    pub window: DateWindow,
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
    /// Items per Graph batch.
    pub batch_size: usize,
    /// Batches in flight at once.
    pub batches_in_flight: usize,
    /// Action types counted as conversions.
    pub conversion_action_types: Vec<String>,
}

/// Objects per level of each account, for sizing chunks (account level: 1).
pub type ObjectCounts = HashMap<(String, InsightLevel), usize>;

/// Loads the insights windows of every active account.
pub async fn sync_insights(
    client: &GraphClient,
    state: &mut RunState,
    cursors: &HashMap<(String, String), CursorState>,
    counts: &ObjectCounts,
    plan: &InsightsPlan,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mapper = {
        let accounts: Arc<HashMap<String, AccountInfo>> = Arc::new(state.accounts.clone());
        let (types, level_now) = (Arc::new(plan.conversion_action_types.clone()), now);
        move |key: &ChunkKey, rows: Vec<Value>| match accounts.get(&key.account) {
            Some(info) => map_page(info, key.level, &types, level_now, rows),
            None => Ok(Vec::new()),
        }
    };
    let mut pager: Pager<ChunkKey, Mapped> =
        Pager::with_transform(client.clone(), plan.batch_size, plan.batches_in_flight, Arc::new(mapper));
    let mut ledgers: HashMap<(String, InsightLevel), ChunkLedger> = HashMap::new();
    let mut ids: Vec<&String> = state.accounts.keys().collect();
    ids.sort();
    for account in ids {
        let info = &state.accounts[account];
        let today = today_in(&info.timezone, now);
        for &level in &plan.levels {
            let stored = cursors.get(&(account.clone(), streams::insights(level)));
            let cursor = stored.and_then(|c| c.cursor.as_deref()).and_then(|c| c.parse::<NaiveDate>().ok());
            let window = insights_window(WindowInputs {
                cursor,
                lookback_days: plan.lookback_days,
                start_date: plan.start_date,
                today,
                since_override: plan.since_override,
                until_override: plan.until_override,
            });
            let Some(window) = window else { continue };
            let objects = match level {
                InsightLevel::Account => 1,
                _ => counts.get(&(account.clone(), level)).copied().unwrap_or(0),
            };
            let chunks = window.chunks(days_per_chunk(objects, plan.target_rows_per_query));
            let expected = |w: DateWindow| (objects > 0).then(|| objects.saturating_mul(w.days() as usize));
            ledgers.insert((account.clone(), level), ChunkLedger::new(&chunks));
            for chunk in chunks {
                let key = ChunkKey { account: account.clone(), level, window: chunk };
                let req = insights_request(account, level, chunk, plan.page_size);
                pager.push(Job { key, req, expected_rows: expected(chunk) });
            }
        }
    }
    while !pager.is_empty() {
        let mut batch = WriteBatch::default();
        for event in pager.round().await {
            match event {
                Event::Page { key, rows, last } => {
                    if !state.active(&key.account) {
                        continue;
                    }
                    match rows {
                        Ok(rows) => batch.insights.extend(rows),
                        Err(e) => {
                            state.fail(&key.account, &streams::insights(key.level), &e).await;
                            continue;
                        }
                    }
                    if last {
                        complete(&mut ledgers, &key, &mut batch);
                    }
                }
                Event::Failed { key, error: GraphError::TooMuchData { .. } }
                    if state.active(&key.account) =>
                {
                    split_or_report(client, state, plan, &mut pager, &mut ledgers, key, now, &mut batch)
                        .await;
                }
                Event::Failed { key, error } if state.active(&key.account) => {
                    state.fail(&key.account, &streams::insights(key.level), &error).await
                }
                Event::Failed { .. } => {}
            }
        }
        pager.retain(|k| state.active(&k.account));
        batch.cursors.retain(|c| state.active(&c.account_id));
        state.commit(batch).await?;
    }
    state.flush().await
}

/// A page mapped to warehouse rows, or why it could not be.
type Mapped = Result<Vec<InsightRow>, GraphError>;

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
        account_id: &info.id,
        currency: &info.currency,
        conversion_action_types: types,
        synced_at: now,
    };
    let bad = |detail: String| GraphError::Protocol { path: format!("act_{}/insights", info.id), detail };
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

fn complete(
    ledgers: &mut HashMap<(String, InsightLevel), ChunkLedger>,
    key: &ChunkKey,
    batch: &mut WriteBatch,
) {
    let ledger = ledgers.get_mut(&(key.account.clone(), key.level)).expect("ledger per account and level");
    if let Some(day) = ledger.complete(key.window) {
        batch.cursors.push(CursorAdvance {
            account_id: key.account.clone(),
            stream: streams::insights(key.level),
            cursor: day.to_string(),
        });
    }
}

/// "Too much data" for a chunk: query the two halves instead; a single day goes through an
/// async report run, which Meta allows more data (facts §5.3).
#[allow(clippy::too_many_arguments)]
async fn split_or_report(
    client: &GraphClient,
    state: &mut RunState,
    plan: &InsightsPlan,
    pager: &mut Pager<ChunkKey, Mapped>,
    ledgers: &mut HashMap<(String, InsightLevel), ChunkLedger>,
    key: ChunkKey,
    now: DateTime<Utc>,
    batch: &mut WriteBatch,
) {
    if let Some((a, b)) = key.window.halves() {
        tracing::info!(account_id = %key.account, level = %key.level, since = %key.window.since, until = %key.window.until, "too much data: splitting the date range");
        let ledger =
            ledgers.get_mut(&(key.account.clone(), key.level)).expect("ledger per account and level");
        ledger.split(key.window, &[a, b]);
        for window in [a, b] {
            let req = insights_request(&key.account, key.level, window, plan.page_size);
            pager.push(Job::new(ChunkKey { window, ..key.clone() }, req));
        }
        return;
    }
    tracing::info!(account_id = %key.account, level = %key.level, day = %key.window.since, "too much data for one day: using an async report run");
    let params = insights_params(key.level, key.window);
    let result = client.report_run(&key.account, params).await;
    let info = state.accounts[&key.account].clone();
    let mapped = result.and_then(|rows| map_page(&info, key.level, &plan.conversion_action_types, now, rows));
    match mapped {
        Ok(rows) => {
            batch.insights.extend(rows);
            complete(ledgers, &key, batch)
        }
        Err(e) => state.fail(&key.account, &streams::insights(key.level), &e).await,
    }
}
