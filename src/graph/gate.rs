//! The gate every request passes before it is sent: pacing (blocks and usage-based spacing per
//! scope, `pacing.rs`) and the sliding-window budgets (`budget.rs`). A wait here is only ever for
//! the scopes the request itself draws from, so one throttled account never holds another.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::budget::{BudgetKey, Budgets, Permit};
use super::pacing::{Block, Pacer};

/// One item behind the gate: its ad account (`None`: account-less) and whether it is insights.
pub(crate) type Target<'a> = (Option<&'a str>, bool);

/// Why the gate stays shut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Shut {
    /// The operation deadline passes first.
    Deadline,
    /// A scope is stopped past the deadline.
    Throttled {
        /// The stopped account (`None`: the app).
        account_index: Option<usize>,
        /// The block.
        block: Block,
    },
}

/// Pacing and budgets, shared by every clone of the client.
#[derive(Debug)]
pub(crate) struct Limits {
    pub budgets: Arc<Budgets>,
    pub pacer: Pacer,
}

impl Limits {
    /// Wait while a scope is stopped or slowed by pacing, then for room in every budget the
    /// request (or batch) draws from; returns the budget charges and the time waited. With
    /// `wait_for_pacing` false (batches) a scope that is not ready returns `Ok(None)` at once:
    /// the batch leaves that account's items for later rather than hold every item.
    pub async fn pass(
        &self,
        items: &[Target<'_>],
        deadline: Instant,
        wait_for_pacing: bool,
        waited: &mut Duration,
    ) -> Result<Option<Permit>, Shut> {
        let mut demands: Vec<(BudgetKey, u32)> = Vec::new();
        for (account, insights) in items {
            for key in self.budgets.demands(*account, *insights) {
                match demands.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => demands.push((key, 1)),
                }
            }
        }
        loop {
            let now = Instant::now();
            if let Some(at) = self.ready_at(items, now) {
                if !wait_for_pacing {
                    return Ok(None);
                }
                if at > deadline {
                    return Err(self.stopped(items, now, deadline));
                }
                *waited += at - now;
                tokio::time::sleep_until(at).await;
                continue;
            }
            let acquired = tokio::time::timeout_at(deadline, self.budgets.acquire(&demands)).await;
            let Ok((permit, budget_wait)) = acquired else {
                return Err(Shut::Deadline);
            };
            *waited += budget_wait;
            // A block or a spacing slot may have been taken while this call waited for budget:
            // take the pacing slot atomically, or give the budget back and wait again.
            let accounts: Vec<Option<&str>> = items.iter().map(|(a, _)| *a).collect();
            if self.pacer.try_start(&accounts, Instant::now()).is_some() {
                permit.release();
                continue;
            }
            return Ok(Some(permit));
        }
    }

    /// When every scope of `items` may start; `None`: now.
    pub fn ready_at(&self, items: &[Target<'_>], now: Instant) -> Option<Instant> {
        items.iter().filter_map(|(a, _)| self.pacer.ready_at(*a, now)).max()
    }

    /// The longest block of `items` if it outlasts the deadline, else the deadline itself.
    pub fn stopped(&self, items: &[Target<'_>], now: Instant, deadline: Instant) -> Shut {
        let block = items
            .iter()
            .enumerate()
            .filter_map(|(i, (a, _))| Some((a.map(|_| i), self.pacer.blocked(*a, now)?)))
            .max_by_key(|(_, b)| b.until);
        match block {
            Some((account_index, block)) if block.until > deadline => {
                Shut::Throttled { account_index, block }
            }
            _ => Shut::Deadline,
        }
    }
}
