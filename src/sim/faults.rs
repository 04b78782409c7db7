//! Fault injection: rules that match calls (by path, method, account, insights or not) and
//! fire by rate or by script ("the 3rd call to this path"), answering with a Graph error or
//! breaking the transport (HTML 500, malformed or truncated JSON, reset, hang, latency).

use super::hash::{h3, unit};
use serde::{Deserialize, Serialize};

/// What an injected fault does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// A Graph error body with this code (canonical message and HTTP status per code unless
    /// given), e.g. 1, 2, 4, 17, 100, 190, 200, 368, 613, 80000, 80004.
    Error {
        /// Graph error code.
        code: i64,
        /// Graph error subcode.
        #[serde(default)]
        subcode: Option<i64>,
        /// HTTP status override.
        #[serde(default)]
        http_status: Option<u16>,
        /// Message override.
        #[serde(default)]
        message: Option<String>,
    },
    /// HTTP 500, code 1 "Please reduce the amount of data you're asking for…".
    ReduceData,
    /// 100/1487534, the insights data-per-call limit.
    TooMuchData,
    /// HTTP 500 with an HTML body.
    Html500,
    /// HTTP 200 with a body that is not JSON.
    Malformed,
    /// HTTP 200 whose JSON body is cut in the middle.
    Truncated,
    /// The connection is dropped after the response head.
    Reset,
    /// No response until the simulator shuts down (clients must time out).
    Hang,
    /// Adds latency, then answers normally.
    Latency {
        /// Milliseconds of delay.
        ms: u64,
    },
    /// In a batch, the item comes back `null` (a timed-out item); outside a batch, a hang.
    BatchNull,
    /// The async report run created by this call ends in `Job Failed` with this error.
    JobFailed {
        /// Error code reported by the run (default -2 / 2490547, "Try again later").
        #[serde(default)]
        code: Option<i64>,
        /// Error subcode reported by the run.
        #[serde(default)]
        subcode: Option<i64>,
    },
    /// The async report run created by this call ends in `Job Skipped`.
    JobSkipped,
    /// The calling token expires now; the call answers 190/463.
    ExpireToken,
}

/// When a rule fires among the calls it matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// Every matching call.
    Always,
    /// Each matching call with this probability (deterministic for a seed and call order).
    Rate {
        /// Probability in `[0, 1]`.
        p: f64,
    },
    /// Only the listed matching calls, 1-based ("the 3rd call to this path" = `[3]`).
    Nth {
        /// Ordinals of matching calls that fail.
        calls: Vec<u64>,
    },
    /// The first `n` matching calls.
    First {
        /// How many.
        n: u64,
    },
}

/// A fault rule. Empty matchers match every call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Substring of the request path (e.g. `/insights`, `act_123`) or of its endpoint
    /// pattern (e.g. `/{report_run_id}`).
    #[serde(default)]
    pub path_contains: Option<String>,
    /// HTTP method (`GET`, `POST`, …).
    #[serde(default)]
    pub method: Option<String>,
    /// Only calls on this ad account (numeric id, with or without `act_`).
    #[serde(default)]
    pub account_id: Option<String>,
    /// Only insights calls.
    #[serde(default)]
    pub insights_only: bool,
    /// `Some(true)`: only batch items; `Some(false)`: only top-level calls.
    #[serde(default)]
    pub batch_items: Option<bool>,
    /// When it fires.
    pub trigger: Trigger,
    /// What it does.
    pub fault: Fault,
}

impl FaultRule {
    /// A rule firing `fault` on every call.
    pub fn new(fault: Fault) -> Self {
        Self {
            path_contains: None,
            method: None,
            account_id: None,
            insights_only: false,
            batch_items: None,
            trigger: Trigger::Always,
            fault,
        }
    }

    /// A rule answering with Graph error `code` on every call.
    pub fn error(code: i64) -> Self {
        Self::new(Fault::Error { code, subcode: None, http_status: None, message: None })
    }

    /// Restricts the rule to paths containing `s`.
    pub fn on_path(mut self, s: &str) -> Self {
        self.path_contains = Some(s.to_string());
        self
    }

    /// Restricts the rule to a method.
    pub fn on_method(mut self, m: &str) -> Self {
        self.method = Some(m.to_uppercase());
        self
    }

    /// Restricts the rule to one ad account.
    pub fn on_account(mut self, id: &str) -> Self {
        self.account_id = Some(id.trim_start_matches("act_").to_string());
        self
    }

    /// Restricts the rule to insights calls.
    pub fn insights(mut self) -> Self {
        self.insights_only = true;
        self
    }

    /// Restricts the rule to batch items (`true`) or top-level calls (`false`).
    pub fn in_batch(mut self, items: bool) -> Self {
        self.batch_items = Some(items);
        self
    }

    /// Fires on the listed matching calls (1-based).
    pub fn nth(mut self, calls: &[u64]) -> Self {
        self.trigger = Trigger::Nth { calls: calls.to_vec() };
        self
    }

    /// Fires on the first `n` matching calls.
    pub fn first(mut self, n: u64) -> Self {
        self.trigger = Trigger::First { n };
        self
    }

    /// Fires with probability `p`.
    pub fn rate(mut self, p: f64) -> Self {
        self.trigger = Trigger::Rate { p };
        self
    }
}

/// What a call looks like to the matchers.
pub(crate) struct CallInfo<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub endpoint: &'a str,
    pub account_id: Option<&'a str>,
    pub insights: bool,
    pub batch_item: bool,
}

/// Installed rules with their match counters.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<(FaultRule, u64)>,
}

impl Faults {
    /// Adds a rule.
    pub(crate) fn add(&mut self, rule: FaultRule) {
        self.rules.push((rule, 0));
    }

    /// Removes every rule.
    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    /// Counts the call against every matching rule; returns the first fault that fires.
    pub(crate) fn check(&mut self, seed: u64, call: &CallInfo<'_>) -> Option<Fault> {
        let mut fired = None;
        for (i, (rule, seen)) in self.rules.iter_mut().enumerate() {
            let m = rule
                .path_contains
                .as_ref()
                .is_none_or(|p| call.path.contains(p) || call.endpoint.contains(p))
                && rule.method.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(call.method))
                && rule.account_id.as_ref().is_none_or(|a| call.account_id == Some(a.as_str()))
                && (!rule.insights_only || call.insights)
                && rule.batch_items.is_none_or(|b| b == call.batch_item);
            if !m {
                continue;
            }
            *seen += 1;
            let fire = match &rule.trigger {
                Trigger::Always => true,
                Trigger::Rate { p } => unit(h3(seed, i as u64, *seen)) < *p,
                Trigger::Nth { calls } => calls.contains(seen),
                Trigger::First { n } => *seen <= *n,
            };
            if fire && fired.is_none() {
                fired = Some(rule.fault.clone());
            }
        }
        fired
    }
}
