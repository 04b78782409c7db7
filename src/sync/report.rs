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
    /// A live worker holds this account (its lock or its unexpired lease); `holder` names it
    /// (`host:pid`, and until when its lease runs) for the operator.
    Held {
        /// Who holds it.
        holder: String,
    },
    /// The run stopped on SIGTERM/SIGINT before this account finished; what committed stays.
    Interrupted,
}

/// The worst thing that happened in a run, for whoever decides what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The configuration is wrong (e.g. `meta.base_url`): nothing can sync until it is fixed.
    Misconfigured,
    /// Every account it tried succeeded (others may be held by live workers, or the run was
    /// stopped by a signal: exit 0, the next run or the holder does the rest).
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
    /// The run stopped on SIGTERM/SIGINT.
    pub interrupted: bool,
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

    /// Accounts this run synced to the end.
    pub fn synced(&self) -> usize {
        self.accounts.values().filter(|o| matches!(o, AccountOutcome::Succeeded)).count()
    }

    /// Accounts left to live workers that hold them, with their holders.
    pub fn held(&self) -> Vec<(&AccountId, &str)> {
        self.accounts
            .iter()
            .filter_map(|(id, o)| match o {
                AccountOutcome::Held { holder } => Some((id, holder.as_str())),
                _ => None,
            })
            .collect()
    }

    /// How the run ended, as stored in `sync_runs.status`: `interrupted` on a signal; `idle`
    /// when live workers held every account (nothing synced, nothing failed); else succeeded,
    /// partial or failed over the accounts it did try.
    pub fn status(&self) -> RunStatus {
        let ok = self.synced();
        let bad = self
            .outcomes()
            .filter(|o| matches!(o, AccountOutcome::Failed(_) | AccountOutcome::NeedsReauth(_)))
            .count();
        if self.interrupted {
            return RunStatus::Interrupted;
        }
        match (ok, bad) {
            (0, 0) if !self.held().is_empty() => RunStatus::Idle,
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

    fn id(n: &str) -> AccountId {
        AccountId::parse(n).unwrap()
    }

    #[test]
    fn every_account_held_elsewhere_is_idle_not_succeeded() {
        let mut r = RunReport::default();
        for n in ["1", "2"] {
            r.accounts.insert(id(n), AccountOutcome::Held { holder: "pod-a:7".into() });
        }
        assert_eq!((r.verdict(), r.status(), r.synced()), (Verdict::Ok, RunStatus::Idle, 0));
        r.accounts.insert(id("3"), AccountOutcome::Succeeded);
        assert_eq!((r.status(), r.synced(), r.held().len()), (RunStatus::Succeeded, 1, 2));
    }

    #[test]
    fn an_interrupted_run_says_so() {
        let mut r = RunReport { interrupted: true, ..RunReport::default() };
        r.accounts.insert(id("1"), AccountOutcome::Succeeded);
        r.accounts.insert(id("2"), AccountOutcome::Interrupted);
        assert_eq!((r.verdict(), r.status()), (Verdict::Ok, RunStatus::Interrupted));
    }
}
