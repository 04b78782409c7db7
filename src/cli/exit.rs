//! Process exit codes, part of the CronJob contract.

use crate::sync::report::{RunReport, Verdict};

/// Everything succeeded.
pub const OK: u8 = 0;
/// Some accounts failed; the others committed.
pub const PARTIAL_FAILURE: u8 = 1;
/// Invalid configuration or usage, or a command that cannot run here.
pub const USAGE: u8 = 2;
/// An account needs re-authorization (token revoked, permission missing).
pub const NEEDS_REAUTH: u8 = 3;

/// `sync`'s exit code: 2 when the configuration is wrong (a `meta.base_url` where no Graph API
/// answers), else 3 when any account needs re-authorization (a person must act), else
/// 1 when any failed, else 0.
pub fn for_report(report: &RunReport) -> u8 {
    match report.verdict() {
        Verdict::Misconfigured => USAGE,
        Verdict::Ok => OK,
        Verdict::SomeFailed => PARTIAL_FAILURE,
        Verdict::NeedsReauth => NEEDS_REAUTH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AccountId;
    use crate::sync::report::AccountOutcome;

    fn report(outcomes: &[AccountOutcome]) -> RunReport {
        let mut r = RunReport::default();
        for (i, o) in outcomes.iter().enumerate() {
            r.accounts.insert(AccountId::parse(&(i + 1).to_string()).unwrap(), o.clone());
        }
        r
    }

    #[test]
    fn exit_codes() {
        use AccountOutcome::*;
        let cases = [
            (vec![], 0, "succeeded"),
            (vec![Succeeded, Held { holder: "pod-b:1".into() }], 0, "succeeded"),
            (vec![Held { holder: "pod-b:1".into() }], 0, "idle"),
            (vec![Succeeded, Failed("x".into())], 1, "partial"),
            (vec![Failed("x".into())], 1, "failed"),
            (vec![Failed("x".into()), NeedsReauth("y".into()), Succeeded], 3, "partial"),
        ];
        for (outcomes, code, status) in cases {
            let r = report(&outcomes);
            assert_eq!((for_report(&r), r.status().as_str()), (code, status), "{outcomes:?}");
        }
        let mut wrong_url = report(&[AccountOutcome::NeedsReauth("y".into())]);
        wrong_url.misconfigured = Some("check meta.base_url".into());
        assert_eq!(for_report(&wrong_url), USAGE, "a wrong configuration comes first");
    }
}
