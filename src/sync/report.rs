//! What a run did, per account: plain data the caller turns into a summary and an exit code.

use std::collections::BTreeMap;

use crate::ids::AccountId;
use crate::warehouse::RunStatus;

/// How one ad account's part of a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountOutcome {
    /// Every stream committed.
    Succeeded,
    /// A stream failed; what committed before stays. The message is for the operator.
    Failed(String),
    /// The token was rejected or a permission is missing: a person must re-authorize.
    NeedsReauth(String),
    /// Another worker holds this account's lease.
    Skipped,
}

/// The worst thing that happened in a run, for whoever decides what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The configuration is wrong (e.g. `meta.base_url`): nothing can sync until it is fixed.
    Misconfigured,
    /// Every account succeeded (or was left to another worker).
    Ok,
    /// Some accounts failed; the others committed.
    SomeFailed,
    /// An account needs re-authorization: a person must act.
    NeedsReauth,
}

/// Totals and per-account outcomes of one `sync` pass.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    /// Outcome per ad account.
    pub accounts: BTreeMap<AccountId, AccountOutcome>,
    /// Set when the listing of the reachable ad accounts failed (no account could be synced).
    pub discovery: Option<AccountOutcome>,
    /// Set when the configuration is wrong for every account (e.g. `meta.base_url`): the one
    /// line naming the setting to fix.
    pub misconfigured: Option<String>,
    /// Rows upserted per table.
    pub rows: BTreeMap<&'static str, u64>,
    /// Graph API calls made (each batch item counts).
    pub api_calls: u64,
}

impl RunReport {
    /// Adds `n` upserted rows of `table`.
    pub fn add_rows(&mut self, table: &'static str, n: u64) {
        *self.rows.entry(table).or_default() += n;
    }

    /// Rows upserted, all tables.
    pub fn total_rows(&self) -> u64 {
        self.rows.values().sum()
    }

    /// Every outcome: the accounts', then the discovery's.
    pub fn outcomes(&self) -> impl Iterator<Item = &AccountOutcome> {
        self.accounts.values().chain(self.discovery.as_ref())
    }

    /// A configuration error when one was met, else re-authorization when any account needs
    /// it, else a failure when any failed, else ok.
    pub fn verdict(&self) -> Verdict {
        if self.misconfigured.is_some() {
            Verdict::Misconfigured
        } else if self.outcomes().any(|o| matches!(o, AccountOutcome::NeedsReauth(_))) {
            Verdict::NeedsReauth
        } else if self.outcomes().any(|o| matches!(o, AccountOutcome::Failed(_))) {
            Verdict::SomeFailed
        } else {
            Verdict::Ok
        }
    }

    /// How the run ended, as stored in `sync_runs.status`.
    pub fn status(&self) -> RunStatus {
        let ok = self.outcomes().filter(|o| matches!(o, AccountOutcome::Succeeded)).count();
        let bad = self
            .outcomes()
            .filter(|o| matches!(o, AccountOutcome::Failed(_) | AccountOutcome::NeedsReauth(_)))
            .count();
        match (ok, bad) {
            (_, 0) => RunStatus::Succeeded,
            (0, _) => RunStatus::Failed,
            _ => RunStatus::Partial,
        }
    }

    /// The first failure, as `account <id>: <message>`, for `sync_runs.error`.
    pub fn first_error(&self) -> Option<String> {
        let failed = |o: &AccountOutcome| match o {
            AccountOutcome::Failed(m) | AccountOutcome::NeedsReauth(m) => Some(m.clone()),
            _ => None,
        };
        let discovery =
            self.discovery.as_ref().and_then(failed).map(|m| format!("ad account discovery: {m}"));
        discovery.or_else(|| {
            self.accounts.iter().find_map(|(id, o)| failed(o).map(|m| format!("account {id}: {m}")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_discovery_fails_the_run() {
        let r = RunReport {
            discovery: Some(AccountOutcome::NeedsReauth("token revoked".into())),
            ..RunReport::default()
        };
        assert_eq!((r.verdict(), r.status()), (Verdict::NeedsReauth, RunStatus::Failed));
        assert_eq!(r.first_error().as_deref(), Some("ad account discovery: token revoked"));
    }
}
