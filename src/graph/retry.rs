//! What comes next after a failed attempt, as pure logic over plain state: the classifier's
//! [`Decision`] plus the attempt's history ([`Attempts`]) → one [`Step`] (wait and resend, resend
//! at once, refresh the token, stop a scope, shrink the page, skip, fail). The client performs
//! the step (`client.rs`); a plain request and a batch item go through exactly the same logic.

use std::time::Duration;

use super::backoff::BackoffPolicy;
use super::classify::{Axis, Context, Decision, Policy, Scope, Wait};
use super::error::GraphError;
use super::fault::Fault;
use super::stats::SkippedItem;

/// The smallest page a "reduce the amount of data" answer shrinks to (100 → 50 → … → 1); a
/// single row still too big returns [`GraphError::TooMuchData`] and the caller asks for less.
pub const MIN_PAGE_LIMIT: u32 = 1;

/// The retry settings: two backoff schedules, the configurable waits of the code policy and the
/// retry cap.
#[derive(Debug)]
pub(crate) struct RetryPolicy {
    /// Transient failures: about a second first, doubling up to `retry.max_backoff_seconds`.
    pub transient: BackoffPolicy,
    /// Throttles with no estimate of when access returns: `retry.backoff_seconds` first,
    /// doubling up to `retry.max_backoff_seconds`.
    pub throttle: BackoffPolicy,
    /// The waits the classifier applies (613, 368).
    pub codes: Policy,
    /// Transient retries allowed (`retry.max_attempts`); also the `null`-item re-sends allowed
    /// before a `null` item counts as a transient failure.
    pub max_attempts: u32,
}

impl RetryPolicy {
    /// Fix the jitter of both schedules.
    pub fn reseed(&self, seed: u64) {
        self.transient.reseed(seed);
        self.throttle.reseed(seed ^ 0x5555);
    }
}

type Steps = Box<dyn Iterator<Item = Duration> + Send + Sync>;

/// Per request (or batch item) retry state.
pub(crate) struct Attempts {
    /// Requests sent so far.
    pub sent: u32,
    /// Transient retries used (bounded by `retry.max_attempts`).
    pub retries: u32,
    /// `null`-item re-sends used.
    pub resent_null: u32,
    /// The token was refreshed once already.
    pub refreshed: bool,
    transient: Steps,
    throttle: Steps,
    /// Where the request is made.
    pub ctx: Context,
}

impl Attempts {
    pub fn new(policy: &RetryPolicy, ctx: Context) -> Self {
        Self {
            sent: 0,
            retries: 0,
            resent_null: 0,
            refreshed: false,
            transient: Box::new(policy.transient.steps()),
            throttle: Box::new(policy.throttle.steps()),
            ctx,
        }
    }
}

/// The failed attempt as the planner sees it; texts are already scrubbed of secrets.
pub(crate) struct Failed<'a> {
    pub path: &'a str,
    pub account: Option<&'a str>,
    pub fault: &'a Fault,
    /// The fault described.
    pub what: &'a str,
    /// Meta's message, for Graph error bodies.
    pub message: Option<&'a str>,
    /// The request's `limit`, if any.
    pub limit: Option<u32>,
    /// The base URL as shown to users.
    pub base_url: &'a str,
}

/// The next thing to do.
#[derive(Debug, PartialEq)]
pub(crate) enum Step {
    /// Transient: send again after `after` (the `retry`-th retry).
    Retry { after: Duration, retry: u32 },
    /// Send again at once (a `null` batch item).
    ResendNow,
    /// Refresh the token, then send again; if no refresh is possible, fail with re-authorization.
    Refresh { reason: String },
    /// Stop the scope (`account`, or the app when `None`) for `wait`, then send again.
    Block { account: Option<String>, wait: Duration, code: i64 },
    /// Send again asking for a page of `to` rows instead of `from`.
    Shrink { from: u32, to: u32 },
    /// Record the skipped item, then fail with [`GraphError::Skipped`].
    Skip(SkippedItem),
    /// Stop with this error.
    Fail(GraphError),
}

/// What a performed step leaves for the request's loop.
pub(crate) enum Next {
    /// Send again after this wait (throttle blocks are waited for in the gate).
    Resend { after: Duration },
    /// Stop with this error.
    Fail(GraphError),
}

/// Plan the step for `decision` about failure `f`, updating the attempt's history.
pub(crate) fn next_step(decision: Decision, att: &mut Attempts, f: &Failed<'_>, max_attempts: u32) -> Step {
    let account = f.account.map(str::to_string);
    let path = f.path.to_string();
    let api = match f.fault {
        Fault::Api { error, .. } => Some(error),
        _ => None,
    };
    let code = api.map_or(0, |e| e.code);
    let subcode = api.and_then(|e| e.error_subcode);
    match decision {
        Decision::ResendNow if att.resent_null < max_attempts => {
            att.resent_null += 1;
            Step::ResendNow
        }
        Decision::Retry | Decision::ResendNow => {
            if att.retries >= max_attempts {
                return Step::Fail(GraphError::RetriesExhausted {
                    attempts: att.sent,
                    path,
                    last: f.what.to_string(),
                });
            }
            att.retries += 1;
            Step::Retry { after: att.transient.next().unwrap_or_default(), retry: att.retries }
        }
        Decision::RefreshToken => {
            let reason = format!("access token rejected ({code}/{}): {}", subcode.unwrap_or(0), f.what);
            if att.refreshed {
                return Step::Fail(GraphError::NeedsReauth {
                    account,
                    reason: format!("{reason}; again after a refresh"),
                });
            }
            att.refreshed = true;
            Step::Refresh { reason }
        }
        Decision::Reauthorize { permission } => {
            let reason = match permission {
                Some(p) => format!("missing permission {p}: {}", f.what),
                None => format!("permission denied: {}", f.what),
            };
            Step::Fail(GraphError::NeedsReauth { account, reason })
        }
        Decision::Throttle { scope, wait } => {
            let wait = match wait {
                Wait::For(d) if !d.is_zero() => d,
                _ => att.throttle.next().unwrap_or_default(),
            };
            let account = if scope == Scope::Account { account } else { None };
            Step::Block { account, wait, code }
        }
        Decision::Shrink(Axis::Query) => Step::Fail(GraphError::TooMuchData { account, path }),
        Decision::Shrink(Axis::Page) => match f.limit {
            Some(limit) if limit / 2 >= MIN_PAGE_LIMIT => Step::Shrink { from: limit, to: limit / 2 },
            _ => Step::Fail(GraphError::TooMuchData { account, path }),
        },
        Decision::Skip => {
            let message = f.message.unwrap_or_default().to_string();
            let fbtrace_id = api.and_then(|e| e.fbtrace_id.clone());
            Step::Skip(SkippedItem { account_id: account, path, code, subcode, message, fbtrace_id })
        }
        Decision::WrongBaseUrl => Step::Fail(GraphError::BadBaseUrl {
            url: f.base_url.to_string(),
            detail: wrong_url_cause(f.fault),
        }),
        Decision::Fail => Step::Fail(match f.fault {
            Fault::TooLarge { limit } => GraphError::Protocol {
                path,
                detail: format!("response body larger than the client's {limit}-byte cap"),
            },
            _ => GraphError::Api {
                status: match f.fault {
                    Fault::Api { status, .. } | Fault::Unreadable { status, .. } => *status,
                    _ => 0,
                },
                code,
                subcode,
                message: f.message.unwrap_or(f.what).to_string(),
                fbtrace_id: api.and_then(|e| e.fbtrace_id.clone()),
                path,
            },
        }),
    }
}

/// Why nothing usable answers at the base URL, in words an operator acts on.
fn wrong_url_cause(fault: &Fault) -> String {
    match fault {
        Fault::Connect(text) => {
            let t = text.to_ascii_lowercase();
            if t.contains("dns") || t.contains("lookup") || t.contains("resolve") {
                "the host name does not resolve (DNS)".to_string()
            } else if t.contains("refused") {
                "connection refused (nothing listens there)".to_string()
            } else if t.contains("tls")
                || t.contains("certificate")
                || t.contains("handshake")
                || t.contains("corrupt")
            {
                "the TLS handshake failed (a plain-HTTP port, or a certificate that is not trusted)"
                    .to_string()
            } else {
                format!("cannot connect ({text})")
            }
        }
        Fault::Unreadable { status, .. } => {
            format!(
                "it answered HTTP {status} without a Graph error body (not the Graph API, or a wrong version path)"
            )
        }
        other => other.describe(),
    }
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
