//! What a run did, per account, and the process exit code that follows from it.

use std::collections::BTreeMap;

use crate::cli::exit;
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

/// Totals and per-account outcomes of one `sync` pass.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    /// Outcome per ad account id.
    pub accounts: BTreeMap<String, AccountOutcome>,
    /// Rows upserted per table.
    pub rows: BTreeMap<&'static str, u64>,
    /// Graph API calls made (each batch item counts).
    pub api_calls: u64,
    /// Items skipped after a code-100 error (logged with their `fbtrace_id`; the client keeps
    /// the list).
    pub skipped_items: u64,
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

    /// `sync`'s exit code: 3 when any account needs re-authorization (a person must act), else
    /// 1 when any failed, else 0.
    pub fn exit_code(&self) -> u8 {
        let any = |f: fn(&AccountOutcome) -> bool| self.accounts.values().any(f);
        if any(|o| matches!(o, AccountOutcome::NeedsReauth(_))) {
            exit::NEEDS_REAUTH
        } else if any(|o| matches!(o, AccountOutcome::Failed(_))) {
            exit::PARTIAL_FAILURE
        } else {
            exit::OK
        }
    }

    /// How the run ended, as stored in `sync_runs.status`.
    pub fn status(&self) -> RunStatus {
        let ok = self.accounts.values().filter(|o| matches!(o, AccountOutcome::Succeeded)).count();
        let bad = self
            .accounts
            .values()
            .filter(|o| matches!(o, AccountOutcome::Failed(_) | AccountOutcome::NeedsReauth(_)))
            .count();
        match (ok, bad) {
            (_, 0) => RunStatus::Succeeded,
            (0, _) => RunStatus::Failed,
            _ => RunStatus::Partial,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(outcomes: &[AccountOutcome]) -> RunReport {
        let mut r = RunReport::default();
        for (i, o) in outcomes.iter().enumerate() {
            r.accounts.insert(i.to_string(), o.clone());
        }
        r
    }

    #[test]
    fn exit_codes() {
        use AccountOutcome::*;
        let cases = [
            (vec![], 0, "succeeded"),
            (vec![Succeeded, Skipped], 0, "succeeded"),
            (vec![Succeeded, Failed("x".into())], 1, "partial"),
            (vec![Failed("x".into())], 1, "failed"),
            (vec![Failed("x".into()), NeedsReauth("y".into()), Succeeded], 3, "partial"),
        ];
        for (outcomes, code, status) in cases {
            let r = report(&outcomes);
            assert_eq!((r.exit_code(), r.status().as_str()), (code, status), "{outcomes:?}");
        }
    }
}
