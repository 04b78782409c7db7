//! Campaigns, ad sets and ads incrementally by `updated_time`; creatives in full (they have no
//! `updated_time`, facts §6.5). Pages of every account travel in shared batches; each round's
//! rows commit in one transaction together with the cursors of the listings it completed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::insights::ObjectCounts;
use super::pager::{Event, Job, Pager};
use super::plan::updated_since;
use super::requests::{Entity, entity_request};
use super::state::RunState;
use crate::graph::GraphClient;
use crate::mapping::{MapContext, MappingError, map_ad, map_ad_creative, map_ad_set, map_campaign};
use crate::warehouse::{CursorAdvance, CursorState, WriteBatch};

/// Identifies one listing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityKey {
    /// Ad account id.
    pub account: String,
    /// Which edge.
    pub entity: Entity,
}

/// Knobs of the entity phase.
#[derive(Debug, Clone)]
pub struct EntityPlan {
    /// Rows per page.
    pub page_size: u32,
    /// Items per Graph batch.
    pub batch_size: usize,
    /// Batches in flight at once.
    pub batches_in_flight: usize,
    /// Overlap subtracted from `updated_time` cursors, in seconds.
    pub overlap_seconds: i64,
    /// Action types counted as conversions (unused by entities; part of the mapping context).
    pub conversion_action_types: Vec<String>,
}

/// Lists every entity edge of the active accounts and upserts the rows. Returns how many
/// objects of each level were listed (all of them on a first run), for sizing insights chunks.
pub async fn sync_entities(
    client: &GraphClient,
    state: &mut RunState,
    cursors: &HashMap<(String, String), CursorState>,
    plan: &EntityPlan,
    now: DateTime<Utc>,
) -> anyhow::Result<ObjectCounts> {
    let mut counts = ObjectCounts::new();
    let mut pager: Pager<EntityKey> = Pager::new(client.clone(), plan.batch_size, plan.batches_in_flight);
    let mut newest: HashMap<EntityKey, i64> = HashMap::new();
    let mut ids: Vec<&String> = state.accounts.keys().collect();
    ids.sort();
    for account in ids {
        for entity in Entity::ALL {
            let since = match entity {
                Entity::Creatives => None,
                _ => {
                    let cursor = cursors.get(&(account.clone(), entity.stream().to_string()));
                    let stored = cursor.and_then(|c| c.cursor.as_deref()).and_then(|c| c.parse::<i64>().ok());
                    updated_since(stored, plan.overlap_seconds)
                }
            };
            let key = EntityKey { account: account.clone(), entity };
            if let Some(since) = since {
                newest.insert(key.clone(), since + plan.overlap_seconds);
            }
            pager.push(Job::new(key, entity_request(account, entity, since, plan.page_size)));
        }
    }
    while !pager.is_empty() {
        let mut batch = WriteBatch::default();
        for event in pager.round().await {
            match event {
                Event::Page { key, rows, last } => {
                    let Some(info) = state.accounts.get(&key.account) else { continue };
                    let ctx = MapContext {
                        account_id: &info.id,
                        currency: &info.currency,
                        conversion_action_types: &plan.conversion_action_types,
                        synced_at: now,
                    };
                    if let Some(level) = key.entity.level() {
                        *counts.entry((key.account.clone(), level)).or_default() += rows.len();
                    }
                    match map_page(&key, &rows, &ctx, &mut batch) {
                        Ok(max_updated) => {
                            if let Some(t) = max_updated {
                                let entry = newest.entry(key.clone()).or_insert(t);
                                *entry = (*entry).max(t);
                            }
                        }
                        Err(e) => {
                            let error = crate::graph::GraphError::Protocol {
                                path: format!("act_{}/{}", key.account, key.entity.edge()),
                                detail: e.to_string(),
                            };
                            state.fail(&key.account, key.entity.stream(), &error).await;
                            continue;
                        }
                    }
                    if last {
                        let cursor = match key.entity {
                            Entity::Creatives => Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                            _ => newest.get(&key).map(i64::to_string),
                        };
                        if let Some(cursor) = cursor {
                            let stream = key.entity.stream().to_string();
                            batch.cursors.push(CursorAdvance {
                                account_id: key.account.clone(),
                                stream,
                                cursor,
                            });
                        }
                    }
                }
                Event::Failed { key, error } if state.active(&key.account) => {
                    state.fail(&key.account, key.entity.stream(), &error).await
                }
                Event::Failed { .. } => {}
            }
        }
        pager.retain(|k| state.active(&k.account));
        let active = |a: &String| state.accounts.contains_key(a);
        batch.cursors.retain(|c| active(&c.account_id));
        state.commit(batch).await?;
    }
    state.flush().await?;
    Ok(counts)
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
