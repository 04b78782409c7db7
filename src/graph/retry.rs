//! Carrying out a [`Decision`] for one failed attempt — of a plain request or of a batch item,
//! which go through exactly the same policy.

use std::time::Duration;

use tokio::time::Instant;

use super::backoff::BackoffPolicy;
use super::classify::{Axis, Context, Decision, Scope, Wait, classify};
use super::client::{GraphClient, wall_clock};
use super::error::GraphError;
use super::pacing::PaceKey;
use super::request::GraphRequest;
use super::stats::{Counters, SkippedItem};
use super::transport::Fault;
use super::usage::Usage;

/// The smallest page a "reduce the amount of data" answer shrinks to (100 → 50 → … → 1); a
/// single row still too big returns [`GraphError::TooMuchData`] and the caller asks for less.
pub const MIN_PAGE_LIMIT: u32 = 1;

/// Per request (or batch item) retry state.
pub(crate) struct Attempts {
    /// Requests sent so far.
    pub sent: u32,
    /// Transient retries used (bounded by `retry.max_attempts`).
    pub retries: u32,
    /// The token was refreshed once already.
    pub refreshed: bool,
    backoff: Box<dyn Iterator<Item = Duration> + Send + Sync>,
    pub ctx: Context,
}

impl Attempts {
    pub fn new(policy: &BackoffPolicy, ctx: Context) -> Self {
        Self { sent: 0, retries: 0, refreshed: false, backoff: Box::new(policy.steps()), ctx }
    }

    fn next_backoff(&mut self) -> Duration {
        self.backoff.next().unwrap_or(Duration::ZERO)
    }
}

/// What happens after a failed attempt.
pub(crate) enum Next {
    /// Send again after this wait (throttle blocks are waited for in the gate).
    Resend { after: Duration },
    /// Stop with this error.
    Fail(GraphError),
}

impl GraphClient {
    /// Classify a failed attempt and carry the decision out: count, wait, refresh, shrink, record.
    pub(crate) async fn decide(
        &self,
        req: &mut GraphRequest,
        att: &mut Attempts,
        fault: &Fault,
        usage: &Usage,
        token_generation: u64,
        deadline: Instant,
    ) -> Next {
        let inner = &self.inner;
        let account = req.account_id.clone();
        let decision = classify(&fault.as_failure(), usage, account.as_deref(), &inner.policy, att.ctx);
        let path = req.relative_path().to_string();
        let what = self.scrub(&fault.describe());
        let api = match fault {
            Fault::Api { error, .. } => Some(error),
            _ => None,
        };
        let code = api.map_or(0, |e| e.code);
        let subcode = api.and_then(|e| e.error_subcode);
        let fbtrace = api.and_then(|e| e.fbtrace_id.clone());
        match decision {
            Decision::Retry => {
                if att.retries >= inner.max_attempts {
                    tracing::warn!(%path, account = ?account, attempts = att.sent, error = %what, "giving up after retries");
                    return Next::Fail(GraphError::RetriesExhausted { attempts: att.sent, path, last: what });
                }
                att.retries += 1;
                let after = att.next_backoff();
                tracing::info!(%path, account = ?account, retry = att.retries, wait_ms = after.as_millis() as u64,
                    error = %what, fbtrace_id = ?fbtrace, "retrying transient failure");
                Next::Resend { after }
            }
            Decision::RefreshToken => {
                let reason = format!("access token rejected ({code}/{}): {what}", subcode.unwrap_or(0));
                if att.refreshed {
                    return Next::Fail(GraphError::NeedsReauth {
                        account,
                        reason: format!("{reason}; again after a refresh"),
                    });
                }
                att.refreshed = true;
                match self.refresh_token(token_generation).await {
                    Ok(true) => Next::Resend { after: Duration::ZERO },
                    Ok(false) => {
                        tracing::warn!(%path, account = ?account, "token rejected and cannot be refreshed: stopping");
                        Next::Fail(GraphError::NeedsReauth {
                            account,
                            reason: format!("{reason}; no refresh possible"),
                        })
                    }
                    Err(e) => Next::Fail(e),
                }
            }
            Decision::Reauthorize { permission } => {
                let reason = match permission {
                    Some(p) => format!("missing permission {p}: {what}"),
                    None => format!("permission denied: {what}"),
                };
                tracing::warn!(%path, account = ?account, %reason, "re-authorization needed");
                Next::Fail(GraphError::NeedsReauth { account, reason })
            }
            Decision::Throttle { scope, wait } => {
                Counters::add(&inner.counters.throttles, 1);
                let wait = match wait {
                    Wait::For(d) if !d.is_zero() => d,
                    _ => att.next_backoff(),
                };
                let until = Instant::now() + wait;
                let (key, scoped) = match (scope, &account) {
                    (Scope::Account, Some(a)) => (PaceKey::account(a), Some(a.clone())),
                    _ => (PaceKey::App, None),
                };
                inner.pacer.block(key, until, code);
                tracing::warn!(%path, account = ?scoped, code, wait_s = wait.as_secs_f64(), fbtrace_id = ?fbtrace,
                    "throttled: scope stopped until access returns");
                if until > deadline {
                    return Next::Fail(GraphError::Throttled {
                        account: scoped,
                        code,
                        until: wall_clock(until),
                    });
                }
                Next::Resend { after: Duration::ZERO }
            }
            Decision::Shrink(Axis::Query) => {
                tracing::info!(%path, account = ?account, "too much data for one query: caller must split it");
                Next::Fail(GraphError::TooMuchData { account, path })
            }
            Decision::Shrink(Axis::Page) => match req.limit() {
                Some(limit) if limit / 2 >= MIN_PAGE_LIMIT => {
                    tracing::info!(%path, account = ?account, from = limit, to = limit / 2, "too much data: shrinking page");
                    req.set_param("limit", Some((limit / 2).to_string()));
                    Next::Resend { after: Duration::ZERO }
                }
                _ => Next::Fail(GraphError::TooMuchData { account, path }),
            },
            Decision::Skip => {
                let message = api.map(|e| self.scrub(&e.message)).unwrap_or_default();
                tracing::warn!(%path, account = ?account, code, subcode, fbtrace_id = ?fbtrace, %message, "skipping item");
                inner.counters.skip(SkippedItem {
                    account_id: account,
                    path: path.clone(),
                    code,
                    subcode,
                    message: message.clone(),
                    fbtrace_id: fbtrace.clone(),
                });
                Next::Fail(GraphError::Skipped { path, code, subcode, message, fbtrace_id: fbtrace })
            }
            Decision::Fail => {
                let status = match fault {
                    Fault::Api { status, .. } | Fault::Unreadable { status, .. } => *status,
                    _ => 0,
                };
                let message = api.map(|e| self.scrub(&e.message)).unwrap_or(what);
                tracing::warn!(%path, account = ?account, status, code, fbtrace_id = ?fbtrace, %message, "graph call failed");
                Next::Fail(GraphError::Api { status, code, subcode, message, fbtrace_id: fbtrace, path })
            }
        }
    }
}
