//! Changes to the world between syncs: budget edits, pause/activate, archive, delete and
//! restatement of recent insights. Entity edits bump `updated_time` of the object and of its
//! descendants (their effective status changes with it, and an incremental sync keyed on
//! `updated_time` must be able to see that; documented fidelity choice).

use super::catalog::*;
use super::ids::Kind;
use super::world::{World, day_number, local_day};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One change to the simulated world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Mutation {
    /// Sets the budgets of a campaign (CBO) or ad set, in minor units; `None` leaves a
    /// budget unchanged, `Some(0)` removes it.
    SetBudget {
        /// Campaign or ad set id.
        object_id: String,
        /// New daily budget, minor units.
        #[serde(default)]
        daily_budget: Option<u64>,
        /// New lifetime budget, minor units.
        #[serde(default)]
        lifetime_budget: Option<u64>,
    },
    /// Pauses a campaign, ad set or ad (no delivery from tomorrow on).
    Pause {
        /// Campaign, ad set or ad id.
        object_id: String,
    },
    /// Activates a paused campaign, ad set or ad.
    Activate {
        /// Campaign, ad set or ad id.
        object_id: String,
    },
    /// Archives a campaign, ad set or ad.
    Archive {
        /// Campaign, ad set or ad id.
        object_id: String,
    },
    /// Deletes a campaign, ad set or ad (it stays readable by id and in filtered listings).
    Delete {
        /// Campaign, ad set or ad id.
        object_id: String,
    },
    /// Restates the insights of the last `days` days (today included) of an ad account:
    /// every metric of those days changes.
    RestateInsights {
        /// Ad account id, with or without `act_`.
        account_id: String,
        /// How many recent days change.
        days: u32,
    },
}

/// Why a mutation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MutationError {
    /// No such object in this world.
    #[error("unknown object id {0}")]
    UnknownObject(String),
    /// The object kind does not support this change.
    #[error("{0}")]
    Unsupported(String),
}

fn locate(w: &World, id: &str) -> Result<(Kind, usize), MutationError> {
    let unknown = || MutationError::UnknownObject(id.to_string());
    if let Some(a) = w.ids.account_index(id) {
        return if a < w.accounts.len() { Ok((Kind::Account, a)) } else { Err(unknown()) };
    }
    let (kind, idx) = w.ids.decode(id.parse().map_err(|_| unknown())?).ok_or_else(unknown)?;
    let len = match kind {
        Kind::Campaign => w.campaigns.len(),
        Kind::AdSet => w.adsets.len(),
        Kind::Ad => w.ads.len(),
        _ => 0,
    };
    if idx < len { Ok((kind, idx)) } else { Err(unknown()) }
}

/// Sets `updated_time` of an object and its descendants to `now` (strictly later than before).
fn touch(w: &mut World, kind: Kind, idx: usize, now: i64) {
    let bump = |t: &mut i64| *t = now.max(*t + 1);
    match kind {
        Kind::Campaign => {
            bump(&mut w.campaigns[idx].updated);
            let (s0, s1) = w.campaigns[idx].adsets;
            for s in s0..s1 {
                touch(w, Kind::AdSet, s as usize, now);
            }
        }
        Kind::AdSet => {
            bump(&mut w.adsets[idx].updated);
            let (d0, d1) = w.adsets[idx].ads;
            for d in d0..d1 {
                bump(&mut w.ads[d as usize].updated);
            }
        }
        Kind::Ad => bump(&mut w.ads[idx].updated),
        _ => {}
    }
}

fn account_of(w: &World, kind: Kind, idx: usize) -> usize {
    match kind {
        Kind::Campaign => w.campaign_account(idx),
        Kind::AdSet => w.campaign_account(w.adset_campaign(idx)),
        _ => w.ad_account(idx),
    }
}

fn set_status(
    w: &mut World,
    kind: Kind,
    idx: usize,
    status: u8,
    now: DateTime<Utc>,
) -> Result<(), MutationError> {
    let today = local_day(w.accounts[account_of(w, kind, idx)].tz, now.timestamp());
    let (configured, own) = match kind {
        Kind::Campaign => {
            let c = &mut w.campaigns[idx];
            (&mut c.configured, &mut c.own)
        }
        Kind::AdSet => {
            let s = &mut w.adsets[idx];
            (&mut s.configured, &mut s.own)
        }
        Kind::Ad => {
            let d = &mut w.ads[idx];
            (&mut d.configured, &mut d.own)
        }
        _ => return Err(MutationError::Unsupported("only campaigns, ad sets and ads change status".into())),
    };
    if *configured == DELETED {
        return Err(MutationError::Unsupported("a deleted object cannot change".into()));
    }
    if *configured == ARCHIVED && status != DELETED {
        return Err(MutationError::Unsupported("an archived object can only be deleted".into()));
    }
    *configured = status;
    *own = status;
    let id = w.ids.id(kind, idx);
    let gaps = w.gaps.entry(id).or_default();
    if status == ACTIVE {
        // Close the open gap: no delivery between the pause and today.
        for g in gaps.iter_mut().filter(|g| g.1 == i32::MAX) {
            g.1 = today - 1;
        }
        gaps.retain(|g| g.0 <= g.1);
        reopen(w, kind, idx, today);
    } else if !gaps.iter().any(|g| g.1 == i32::MAX) {
        // Today already delivered; nothing from tomorrow on.
        gaps.push((today + 1, i32::MAX));
    }
    touch(w, kind, idx, now.timestamp());
    Ok(())
}

/// Lets ads that stopped with a generated end of delivery run again after an activation,
/// with no delivery between their last day and today.
fn reopen(w: &mut World, kind: Kind, idx: usize, today: i32) {
    let (d0, d1) = match kind {
        Kind::Campaign => w.campaign_ads(idx),
        Kind::AdSet => (w.adsets[idx].ads.0 as usize, w.adsets[idx].ads.1 as usize),
        _ => (idx, idx + 1),
    };
    for d in d0..d1 {
        let (first, last) = (w.ads[d].first_day, w.ads[d].last_day);
        if first > last || last >= today || !matches!(w.ad_status(d), ACTIVE | WITH_ISSUES) {
            continue;
        }
        if last < today - 1 {
            let id = w.ids.id(Kind::Ad, d);
            w.gaps.entry(id).or_default().push((last + 1, today - 1));
        }
        w.ads[d].last_day = i32::MAX;
    }
}

/// Applies a mutation at `now`.
pub(crate) fn apply(w: &mut World, m: Mutation, now: DateTime<Utc>) -> Result<(), MutationError> {
    match m {
        Mutation::SetBudget { object_id, daily_budget, lifetime_budget } => {
            let (kind, idx) = locate(w, &object_id)?;
            let (daily, lifetime) = match kind {
                Kind::Campaign if w.campaigns[idx].cbo() => {
                    let c = &mut w.campaigns[idx];
                    (&mut c.daily_budget, &mut c.lifetime_budget)
                }
                Kind::AdSet if !w.campaigns[w.adset_campaign(idx)].cbo() => {
                    let s = &mut w.adsets[idx];
                    (&mut s.daily_budget, &mut s.lifetime_budget)
                }
                _ => {
                    return Err(MutationError::Unsupported(
                        "budgets live on the campaign with CBO, on the ad set otherwise".into(),
                    ));
                }
            };
            if let Some(d) = daily_budget {
                *daily = d;
            }
            if let Some(l) = lifetime_budget {
                *lifetime = l;
            }
            match kind {
                Kind::Campaign => {
                    w.campaigns[idx].updated = now.timestamp().max(w.campaigns[idx].updated + 1)
                }
                _ => w.adsets[idx].updated = now.timestamp().max(w.adsets[idx].updated + 1),
            }
            Ok(())
        }
        Mutation::Pause { object_id } => {
            let (k, i) = locate(w, &object_id)?;
            set_status(w, k, i, PAUSED, now)
        }
        Mutation::Activate { object_id } => {
            let (k, i) = locate(w, &object_id)?;
            set_status(w, k, i, ACTIVE, now)
        }
        Mutation::Archive { object_id } => {
            let (k, i) = locate(w, &object_id)?;
            set_status(w, k, i, ARCHIVED, now)
        }
        Mutation::Delete { object_id } => {
            let (k, i) = locate(w, &object_id)?;
            set_status(w, k, i, DELETED, now)
        }
        Mutation::RestateInsights { account_id, days } => {
            let a = w
                .ids
                .account_index(&account_id)
                .filter(|a| *a < w.accounts.len())
                .ok_or(MutationError::UnknownObject(account_id))?;
            let today = day_number(now.with_timezone(&w.accounts[a].tz).date_naive());
            w.accounts[a].restated.push((today - days.max(1) as i32 + 1, today));
            Ok(())
        }
    }
}
