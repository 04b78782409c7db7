//! Which ad accounts a run covers: the configured list (read by id), or every account the
//! token reaches through `/me/adaccounts` and the configured businesses' owned and client
//! ad accounts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::pager::{Event, Job, Pager};
use super::requests::{account_listing, account_request};
use crate::graph::{GraphClient, GraphError};
use crate::mapping::map_ad_account;
use crate::model::AdAccountRow;

/// The accounts found, and those that could not be read (configured ids only).
#[derive(Debug, Default)]
pub struct Discovery {
    /// Account rows by id.
    pub accounts: BTreeMap<String, AdAccountRow>,
    /// Configured accounts that failed to load, with why.
    pub failed: BTreeMap<String, GraphError>,
}

/// Normalises `act_123` and `123` to `123`.
pub fn bare_id(id: &str) -> &str {
    id.strip_prefix("act_").unwrap_or(id)
}

/// Reads the configured accounts by id, or discovers every reachable account when `configured`
/// is empty. A failure of a discovery listing fails the whole discovery (the caller cannot know
/// which accounts it would have found); a configured account that fails only fails itself.
pub async fn discover(
    client: &GraphClient,
    configured: &[String],
    businesses: &[String],
    page_size: u32,
    batch_size: usize,
    synced_at: DateTime<Utc>,
) -> Result<Discovery, GraphError> {
    let mut pager: Pager<Option<String>> = Pager::new(client.clone(), batch_size, 1);
    if configured.is_empty() {
        pager.push(Job::new(None, account_listing("me/adaccounts", page_size)));
        for b in businesses {
            for edge in ["owned_ad_accounts", "client_ad_accounts"] {
                pager.push(Job::new(None, account_listing(&format!("{b}/{edge}"), page_size)));
            }
        }
    } else {
        for id in configured {
            let id = bare_id(id).to_string();
            pager.push(Job::new(Some(id.clone()), account_request(&id)));
        }
    }
    let mut out = Discovery::default();
    while !pager.is_empty() {
        for event in pager.round().await {
            match event {
                Event::Page { key, rows, .. } => {
                    for row in rows {
                        match map_ad_account(&row, synced_at) {
                            Ok(account) => {
                                out.accounts.insert(account.account_id.clone(), account);
                            }
                            Err(e) => {
                                let error =
                                    GraphError::Protocol { path: "ad account".into(), detail: e.to_string() };
                                match &key {
                                    Some(id) => {
                                        out.failed.insert(id.clone(), error);
                                    }
                                    None => return Err(error),
                                }
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
