//! Campaigns, ad sets and ads incrementally by `updated_time`; creatives in full (they have no
//! `updated_time`, docs/graph-api.md §6.5). Pages of every account travel in shared batches;
//! each round's rows commit in one transaction together with the cursors of the listings it
//! completed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::errors::StreamError;
use super::pager::{Event, Job, Pager};
use super::plan::{ObjectCounts, updated_since};
use super::requests::{Entity, entity_request};
use super::state::{PassContext, Round, RunState, StoredCursors};
use crate::graph::GraphError;
use crate::ids::{AccountId, EntityCursor};
use crate::mapping::{MapContext, MappingError, map_ad, map_ad_creative, map_ad_set, map_campaign};
use crate::warehouse::WriteBatch;

/// Identifies one listing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityKey {
    /// Ad account.
    pub account: AccountId,
    /// Which edge.
    pub entity: Entity,
}

/// Knobs of the entity phase.
#[derive(Debug, Clone)]
pub struct EntityPlan {
    /// Rows per page.
    pub page_size: u32,
    /// Overlap subtracted from `updated_time` cursors, in seconds.
    pub overlap_seconds: i64,
    /// Action types counted as conversions (unused by entities; part of the mapping context).
    pub conversion_action_types: Vec<String>,
}

/// The entity phase of one run: its listings and what they found so far.
struct EntitiesPhase<'a> {
    plan: &'a EntityPlan,
    now: DateTime<Utc>,
    pager: Pager<EntityKey>,
    /// Newest `updated_time` stored per listing (the cursor it will commit).
    newest: HashMap<EntityKey, i64>,
    counts: ObjectCounts,
}

/// Lists every entity edge of the active accounts and upserts the rows. Returns how many
/// objects of each level were listed (all of them on a first run), for sizing insights chunks.
pub async fn sync_entities(
    ctx: &PassContext,
    state: &mut RunState,
    cursors: &StoredCursors,
    plan: &EntityPlan,
) -> anyhow::Result<ObjectCounts> {
    let mut phase = EntitiesPhase {
        plan,
        now: ctx.now,
        pager: Pager::new(ctx.graph.clone(), ctx.pager.clone()),
        newest: HashMap::new(),
        counts: ObjectCounts::new(),
    };
    phase.seed(state, cursors).await;
    while !phase.pager.is_empty() {
        let mut round = Round::default();
        for event in phase.pager.round().await {
            phase.handle(state, event, &mut round).await;
        }
        phase.pager.retain(|k| state.stream_active(&k.account, k.entity.stream()));
        state.commit(round).await?;
    }
    state.flush().await?;
    Ok(phase.counts)
}

impl EntitiesPhase<'_> {
    /// Queues the first page of every listing; a stored cursor that does not parse fails its
    /// stream instead of listing everything again.
    async fn seed(&mut self, state: &mut RunState, cursors: &StoredCursors) {
        for account in state.account_ids() {
            for entity in Entity::ALL {
                let stream = entity.stream();
                let stored = match (entity, cursors.get(&(account.clone(), stream))) {
                    (Entity::Creatives, _) | (_, None) => None,
                    (_, Some(raw)) => match EntityCursor::parse(&account, stream, raw) {
                        Ok(cursor) => Some(cursor.0),
                        Err(bad) => {
                            state.fail(&account, stream, &bad.into()).await;
                            continue;
                        }
                    },
                };
                let since = updated_since(stored, self.plan.overlap_seconds);
                let key = EntityKey { account: account.clone(), entity };
                if let Some(since) = since {
                    self.newest.insert(key.clone(), since + self.plan.overlap_seconds);
                }
                self.pager.push(Job::new(key, entity_request(&account, entity, since, self.plan.page_size)));
            }
        }
    }

    /// Maps a page into `round` (with the listing's cursor when it was the last page), or
    /// records a failure.
    async fn handle(&mut self, state: &mut RunState, event: Event<EntityKey>, round: &mut Round) {
        let (key, rows, last) = match event {
            Event::Page { key, rows, last } => (key, rows, last),
            Event::Failed { key, error } => {
                if state.stream_active(&key.account, key.entity.stream()) {
                    state.fail(&key.account, key.entity.stream(), &error).await;
                }
                return;
            }
        };
        let stream = key.entity.stream();
        if !state.stream_active(&key.account, stream) {
            return;
        }
        let Some(info) = state.accounts.get(&key.account) else { return };
        let ctx = MapContext {
            account_id: info.id.as_str(),
            currency: &info.currency,
            conversion_action_types: &self.plan.conversion_action_types,
            synced_at: self.now,
        };
        if let Some(level) = key.entity.level() {
            *self.counts.entry((key.account.clone(), level)).or_default() += rows.len();
        }
        match map_page(&key, &rows, &ctx, &mut round.rows) {
            Ok(Some(t)) => {
                let entry = self.newest.entry(key.clone()).or_insert(t);
                *entry = (*entry).max(t);
            }
            Ok(None) => {}
            Err(e) => {
                let path = key.account.edge(key.entity.edge());
                let error = StreamError::Graph(GraphError::Protocol { path, detail: e.to_string() });
                state.fail(&key.account, stream, &error).await;
                return;
            }
        }
        if last {
            let cursor = match key.entity {
                Entity::Creatives => Some(self.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                _ => self.newest.get(&key).map(|t| EntityCursor(*t).to_stored()),
            };
            if let Some(cursor) = cursor {
                round.advance(&key.account, stream, cursor);
            }
        }
    }
}

/// Maps one page into `batch`; returns the newest `updated_time` (unix seconds) on it.
fn map_page(
    key: &EntityKey,
    rows: &[Value],
    ctx: &MapContext<'_>,
    batch: &mut WriteBatch,
) -> Result<Option<i64>, MappingError> {
    let mut newest: Option<i64> = None;
    let mut seen = |t: Option<DateTime<Utc>>| {
        if let Some(t) = t {
            newest = Some(newest.map_or(t.timestamp(), |n| n.max(t.timestamp())));
        }
    };
    for row in rows {
        match key.entity {
            Entity::Campaigns => {
                let r = map_campaign(row, ctx)?;
                seen(r.updated_time);
                batch.campaigns.push(r);
            }
            Entity::AdSets => {
                let r = map_ad_set(row, ctx)?;
                seen(r.updated_time);
                batch.ad_sets.push(r);
            }
            Entity::Ads => {
                let r = map_ad(row, ctx)?;
                seen(r.updated_time);
                batch.ads.push(r);
            }
            Entity::Creatives => batch.creatives.push(map_ad_creative(row, ctx)?),
        }
    }
    Ok(newest)
}
