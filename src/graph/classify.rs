//! The error-code policy (docs/graph-api.md §1) as one pure function: what failed (HTTP status,
//! Graph `code`, `error_subcode`, `is_transient`, usage headers) → what to do. No I/O, no clock,
//! so it is tested as a table; `retry.rs` turns the decision into the next step and the client
//! (`client.rs`, `batch.rs`) carries that out.

use std::time::Duration;

use super::error::WireError;
use super::usage::Usage;

/// What went wrong with one attempt (a request or a batch item).
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// No response within the per-attempt timeout.
    Timeout,
    /// No connection at all: DNS failure, connection refused, TLS handshake failure.
    Connect {
        /// The base URL has given a Graph answer before: this is an outage, not a wrong URL.
        answered_before: bool,
    },
    /// Connection reset or closed before a complete response.
    Connection,
    /// A `null` batch item: Meta timed the item out inside the batch (docs/graph-api.md §4).
    NullItem,
    /// A response body larger than the configured cap.
    TooLarge,
    /// A response whose body is not a Graph error: HTML 500 pages, truncated or malformed JSON,
    /// a 200 that says `Service Unavailable`.
    Unreadable {
        /// HTTP status (0 when there was none).
        status: u16,
        /// The body was cut off in transit (truncated JSON, connection closed mid-body): the
        /// status line says nothing reliable about what the server meant, so it is retried.
        cut_off: bool,
    },
    /// A Graph error body `{"error":{...}}`.
    Api {
        /// HTTP status (or the batch item's `code`).
        status: u16,
        /// The parsed error.
        error: &'a WireError,
    },
}

/// Which callers a throttle stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The ad account the request was for (the app scope when the request has none).
    Account,
    /// Every request of this app / token.
    App,
}

/// How long a throttled scope waits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Wait {
    /// The next step of the capped exponential backoff (no estimate available).
    Backoff,
    /// A known duration.
    For(Duration),
}

/// What to do about a failed attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Transient: wait the next backoff step and retry, at most `retry.max_attempts` times.
    Retry,
    /// Send again at once, with no backoff: a `null` batch item only means Meta ran out of time
    /// for it inside that batch (docs/graph-api.md §4).
    ResendNow,
    /// The base URL is plainly wrong (nothing answers there, or something that is not the Graph
    /// API): no retry, the operator must fix `meta.base_url`.
    WrongBaseUrl,
    /// The token is invalid or expired: refresh it once and retry; without a refresh the account
    /// needs re-authorization.
    RefreshToken,
    /// A permission is missing: no retry, a human must re-authorize.
    Reauthorize {
        /// The missing permission when Meta's message names it.
        permission: Option<String>,
    },
    /// Throttled or blocked: stop the scope for the wait, then retry.
    Throttle {
        /// Who is throttled.
        scope: Scope,
        /// For how long.
        wait: Wait,
    },
    /// Too much data: ask for less along `Axis` (and grow back after success).
    Shrink(Axis),
    /// Invalid request (code 100): log, skip, record with the `fbtrace_id`.
    Skip,
    /// Nothing helps: return the error.
    Fail,
}

/// Which part of a request is too big.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// The page: HTTP 500 code 1 "Please reduce the amount of data…" — rows × fields of one
    /// answer. The client halves `limit` (docs/graph-api.md §1.2; peers do the same).
    Page,
    /// The whole query: 100/1487534 (data-per-call limit) and the sync-insights timeouts. Meta's
    /// fix is a smaller date range, fewer objects or fields, a coarser level (docs/graph-api.md §1.4) — a
    /// smaller page does not help, so the client returns `TooMuchData` at once and the sync
    /// engine splits the date range instead of burning insights budget on smaller pages.
    Query,
}

/// The configurable waits the policy needs (from `meta.retry`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Wait after a 613 (one hour by default).
    pub throttle_backoff: Duration,
    /// Wait after a 368 policy block.
    pub policy_block_backoff: Duration,
}

/// Where the failed attempt happened, for the few codes whose meaning depends on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The request polls an async report run just created: 100/33 is then the documented race
    /// between job creation and polling (docs/graph-api.md §5.3), not a missing object.
    pub report_run_poll: bool,
}

/// -2/2490547: async report run failed, "Try again later" (docs/graph-api.md §1.4).
const SUBCODE_ASYNC_TRY_LATER: i64 = 2490547;
/// Subcode of the BUC throttles of the ads APIs (docs/graph-api.md §2.4).
const SUBCODE_ADS_BUC: i64 = 2446079;
/// 100/33: unsupported get request / object does not exist.
const SUBCODE_UNSUPPORTED_GET: i64 = 33;
/// 100/1487534: insights data-per-call limit.
const SUBCODE_TOO_MUCH_DATA: i64 = 1487534;
/// 100/1504018 and 2/1504038: synchronous insights request timed out — ask for less.
const SUBCODES_SYNC_TIMEOUT: [i64; 2] = [1504018, 1504038];
/// 2/1504041 (invalid breakdowns) and 2/1504042 (invalid custom metrics): the request is wrong.
const SUBCODES_INVALID_INSIGHTS: [i64; 2] = [1504041, 1504042];

/// Decide what to do about a failed attempt. `account` is the ad account of the request; it picks
/// the `estimated_time_to_regain_access` that applies.
pub fn classify(
    failure: &Failure<'_>,
    usage: &Usage,
    account: Option<&str>,
    policy: &Policy,
    ctx: Context,
) -> Decision {
    let (status, e) = match failure {
        Failure::Timeout | Failure::Connection => return Decision::Retry,
        Failure::Connect { answered_before: true } => return Decision::Retry,
        // Nothing ever answered at this URL: DNS, refusal or TLS will not fix themselves in the
        // minutes a retry waits.
        Failure::Connect { answered_before: false } => return Decision::WrongBaseUrl,
        Failure::NullItem => return Decision::ResendNow,
        // The same request would bring the same body back.
        Failure::TooLarge => return Decision::Fail,
        // Graph answers an unknown path with a Graph error body; a bare 404 comes from something
        // else at that address (docs/graph-api.md §1.2).
        Failure::Unreadable { status: 404, cut_off: false } => return Decision::WrongBaseUrl,
        // A body we cannot read: retry server-side trouble and cut-off successes; a 4xx page that
        // is not a Graph error (a proxy's 403) will not change by retrying — except 408/429.
        Failure::Unreadable { status, cut_off } => {
            return match status {
                400..=499 if !cut_off && !matches!(status, 408 | 429) => Decision::Fail,
                _ => Decision::Retry,
            };
        }
        Failure::Api { status, error } => (*status, *error),
    };
    let sub = e.error_subcode;
    let regain = account.and_then(|a| usage.regain_access_for(a)).or_else(|| usage.regain_access());
    let estimate = regain.map(Wait::For).unwrap_or(Wait::Backoff);
    match e.code {
        190 | 102 => Decision::RefreshToken,
        3 | 10 | 200..=299 => Decision::Reauthorize { permission: missing_permission(&e.message) },
        // 613 is the per-account custom limit: back off the configured hour, longer if told so.
        613 => Decision::Throttle {
            scope: Scope::Account,
            wait: Wait::For(regain.map_or(policy.throttle_backoff, |r| r.max(policy.throttle_backoff))),
        },
        // BUC throttles are keyed by business object (the ad account), docs/graph-api.md §2.4.
        80000..=80014 => Decision::Throttle { scope: Scope::Account, wait: estimate },
        17 if sub == Some(SUBCODE_ADS_BUC) => Decision::Throttle { scope: Scope::Account, wait: estimate },
        // 4 is the app's limit, 17 the user's (the token's), 32 page calls, 341 app limit reached.
        4 | 17 | 32 | 341 => Decision::Throttle { scope: Scope::App, wait: estimate },
        // A policy block hits the user behind the token, not one account (docs/graph-api.md §1.5).
        368 => Decision::Throttle { scope: Scope::App, wait: Wait::For(policy.policy_block_backoff) },
        1 if e.message.to_ascii_lowercase().contains("reduce the amount of data") => {
            Decision::Shrink(Axis::Page)
        }
        100 if sub == Some(SUBCODE_TOO_MUCH_DATA) => Decision::Shrink(Axis::Query),
        100 | 2 if sub.is_some_and(|s| SUBCODES_SYNC_TIMEOUT.contains(&s)) => Decision::Shrink(Axis::Query),
        2 if sub.is_some_and(|s| SUBCODES_INVALID_INSIGHTS.contains(&s)) => Decision::Fail,
        100 if sub == Some(SUBCODE_UNSUPPORTED_GET) && ctx.report_run_poll => Decision::Retry,
        100 => Decision::Skip,
        // 960: "too much data was requested in batch" — the batch error peers re-queue.
        1 | 2 | 960 => Decision::Retry,
        -2 if sub == Some(SUBCODE_ASYNC_TRY_LATER) => Decision::Retry,
        _ if e.is_transient || status >= 500 => Decision::Retry,
        _ => Decision::Fail,
    }
}

/// The permission a 10 / 200–299 message names, e.g. `business_management` in
/// "(#200) Requires business_management permission to manage the object".
pub fn missing_permission(message: &str) -> Option<String> {
    let words: Vec<&str> =
        message.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    let looks_like_permission =
        |w: &str| w.contains('_') && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    // Prefer the word right before "permission(s)"; otherwise any snake_case word.
    words
        .windows(2)
        .find(|p| p[1].to_ascii_lowercase().starts_with("permission") && looks_like_permission(p[0]))
        .map(|p| p[0])
        .or_else(|| words.iter().copied().find(|w| looks_like_permission(w)))
        .map(str::to_string)
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
