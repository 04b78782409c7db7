//! Which ad accounts a run covers: the configured list (read by id), or every account the
//! token reaches through `/me/adaccounts` and the configured businesses' owned and client
//! ad accounts (docs/graph-api.md §8).

use std::collections::BTreeMap;

use super::errors::StreamError;
use super::pager::{Event, Job, Pager, PagerConfig};
use super::requests::{account_listing, account_request};
use super::state::PassContext;
use crate::graph::GraphError;
use crate::ids::AccountId;
use crate::mapping::map_ad_account;
use crate::model::AdAccountRow;

/// The accounts found, and those that could not be read (configured ids only).
#[derive(Debug, Default)]
pub struct Discovery {
    /// Account rows by id.
    pub accounts: BTreeMap<AccountId, AdAccountRow>,
    /// Configured accounts that failed to load, with why.
    pub failed: BTreeMap<AccountId, StreamError>,
}

/// Where to look for accounts.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// Accounts to read by id; empty: discover every reachable account.
    pub configured: &'a [AccountId],
    /// Businesses whose owned and client ad accounts are discovered too.
    pub businesses: &'a [String],
    /// Rows per discovery page.
    pub page_size: u32,
}

/// Reads the configured accounts by id, or discovers every reachable account when none is
/// configured. A failure of a discovery listing fails the whole discovery (the caller cannot
/// know which accounts it would have found); a configured account that fails only fails itself.
pub async fn discover(ctx: &PassContext, sources: Sources<'_>) -> Result<Discovery, StreamError> {
    let (graph, pager_cfg, synced_at) = (ctx.graph.clone(), ctx.pager.clone(), ctx.now);
    let mut pager: Pager<Option<AccountId>> =
        Pager::new(graph, PagerConfig { batches_in_flight: 1, ..pager_cfg });
    if sources.configured.is_empty() {
        pager.push(Job::new(None, account_listing("me/adaccounts", sources.page_size)));
        for b in sources.businesses {
            for edge in ["owned_ad_accounts", "client_ad_accounts"] {
                pager.push(Job::new(None, account_listing(&format!("{b}/{edge}"), sources.page_size)));
            }
        }
    } else {
        for id in sources.configured {
            pager.push(Job::new(Some(id.clone()), account_request(id)));
        }
    }
    let mut out = Discovery::default();
    while !pager.is_empty() {
        for event in pager.round().await {
            match event {
                Event::Page { key, rows, .. } => {
                    for row in rows {
                        let account =
                            map_ad_account(&row, synced_at).map_err(|e| e.to_string()).and_then(|a| {
                                let id = AccountId::parse(&a.account_id).map_err(|e| e.to_string())?;
                                Ok((id, a))
                            });
                        match (account, &key) {
                            (Ok((id, account)), _) => {
                                out.accounts.insert(id, account);
                            }
                            (Err(detail), Some(id)) => {
                                let error = GraphError::Protocol { path: id.node(), detail };
                                out.failed.insert(id.clone(), error.into());
                            }
                            (Err(detail), None) => {
                                return Err(GraphError::Protocol { path: "ad account".into(), detail }.into());
                            }
                        }
                    }
                }
                Event::Failed { key: Some(id), error } => {
                    out.failed.insert(id, error);
                }
                Event::Failed { key: None, error } => return Err(error),
            }
        }
    }
    Ok(out)
}
