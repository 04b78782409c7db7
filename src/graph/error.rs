//! `GraphError` (what callers branch on) and the wire error body `{"error":{...}}` (docs/graph-api.md §1.1).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// Everything the Graph client can fail with. The sync engine branches on the variant: re-authorize,
/// split the date range, defer the account, or record a failure. No variant ever carries an access
/// token or the app secret (messages from the wire are redacted before they get here).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    /// The token is invalid and could not be refreshed (190), or a permission is missing (10,
    /// 200–299): a human must re-authorize; retrying will not help.
    #[error("needs re-authorization{}: {reason}", account_suffix(.account))]
    NeedsReauth {
        /// Ad account the failing call was for (`None` for account-less calls).
        account: Option<String>,
        /// Why, naming the missing permission when Meta's message names it.
        reason: String,
    },
    /// Meta refuses the amount of data even at the smallest page size: the caller must ask for
    /// less (a shorter date range, a lower level, fewer fields).
    #[error("too much data requested from {path}{}", account_suffix(.account))]
    TooMuchData {
        /// Ad account of the request.
        account: Option<String>,
        /// Path of the request.
        path: String,
    },
    /// Code 100 (invalid parameter / unsupported request): logged, skipped and recorded in
    /// [`crate::graph::GraphClient::skipped`].
    #[error("skipped {path}: ({code}/{subcode}) {message} [fbtrace_id {fbtrace}]",
        subcode = .subcode.unwrap_or(0), fbtrace = .fbtrace_id.as_deref().unwrap_or("-"))]
    Skipped {
        /// Path of the request.
        path: String,
        /// Graph error code (100).
        code: i64,
        /// Graph error subcode.
        subcode: Option<i64>,
        /// Meta's message.
        message: String,
        /// Meta's trace id, for support tickets.
        fbtrace_id: Option<String>,
    },
    /// A throttle or policy block whose wait does not fit in the operation deadline: the caller
    /// should defer this scope (the account, or every account when `account` is `None`).
    #[error("throttled (code {code}){} until {until}", account_suffix(.account))]
    Throttled {
        /// Throttled ad account; `None` means the whole app is throttled.
        account: Option<String>,
        /// Graph error code (4, 17, 32, 368, 613, 80000–80014) or 0 when the usage headers alone
        /// stopped the scope.
        code: i64,
        /// When access is expected back.
        until: DateTime<Utc>,
    },
    /// A retryable failure (5xx, codes 1/2, `is_transient`, timeouts, connection errors,
    /// malformed bodies) persisted through every allowed retry.
    #[error("gave up after {attempts} attempts on {path}: {last}")]
    RetriesExhausted {
        /// Requests made for this operation.
        attempts: u32,
        /// Path of the request.
        path: String,
        /// The last failure, described.
        last: String,
    },
    /// A Graph error that no retry or refresh can fix (unknown codes, client errors).
    #[error("graph error {status} ({code}/{subcode}) on {path}: {message} [fbtrace_id {fbtrace}]",
        subcode = .subcode.unwrap_or(0), fbtrace = .fbtrace_id.as_deref().unwrap_or("-"))]
    Api {
        /// HTTP status (or the batch item's `code`).
        status: u16,
        /// Graph error code.
        code: i64,
        /// Graph error subcode.
        subcode: Option<i64>,
        /// Meta's message.
        message: String,
        /// Meta's trace id.
        fbtrace_id: Option<String>,
        /// Path of the request.
        path: String,
    },
    /// An async report run ended in `Job Failed` or `Job Skipped` (v25 error fields included).
    #[error("{0}")]
    ReportRunFailed(Box<ReportRunFailure>),
    /// The per-operation deadline (`meta.timeouts.operation_seconds`) passed.
    #[error("operation deadline of {seconds}s exceeded on {path}")]
    Deadline {
        /// The configured deadline in seconds.
        seconds: f64,
        /// Path of the request.
        path: String,
    },
    /// The response did not follow the Graph protocol (e.g. a paging cursor that does not move).
    #[error("protocol error on {path}: {detail}")]
    Protocol {
        /// Path of the request.
        path: String,
        /// What was wrong.
        detail: String,
    },
    /// `meta.base_url` is plainly wrong: nothing answers there (DNS failure, connection refused,
    /// TLS failure) or what answers is not the Graph API (a 404 without a Graph error body).
    #[error(
        "cannot use the Graph API at {url}: {detail} — check meta.base_url (the versioned root, e.g. {})",
        crate::config::DEFAULT_BASE_URL
    )]
    BadBaseUrl {
        /// The configured base URL (without any user or password).
        url: String,
        /// What happened, e.g. `connection refused`.
        detail: String,
    },
    /// The token source failed.
    #[error("token source: {0}")]
    Token(String),
    /// Invalid client configuration (e.g. `meta.batch.max_size` above 50).
    #[error("graph client configuration: {0}")]
    Config(String),
}

/// Why an async report run failed: its status and the v25.0 error fields (docs/graph-api.md §5.3, §9).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("report run {report_run_id} ended {status}: ({code}/{subcode}) {message}",
    code = .error_code.unwrap_or(0), subcode = .error_subcode.unwrap_or(0),
    message = .error_message.as_deref().unwrap_or("no error message"))]
pub struct ReportRunFailure {
    /// The report run id.
    pub report_run_id: String,
    /// `async_status` (`Job Failed` / `Job Skipped`).
    pub status: String,
    /// `error_code` (v25.0+).
    pub error_code: Option<i64>,
    /// `error_subcode`.
    pub error_subcode: Option<i64>,
    /// `error_message`.
    pub error_message: Option<String>,
    /// `error_user_title`.
    pub error_user_title: Option<String>,
    /// `error_user_msg`.
    pub error_user_msg: Option<String>,
}

fn account_suffix(account: &Option<String>) -> String {
    account.as_deref().map(|a| format!(" (account {a})")).unwrap_or_default()
}

/// The `error` object of a Graph error body. Only `message`, `type`, `code` are reliably present.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct WireError {
    /// Human message, usually prefixed `(#code)`.
    #[serde(default)]
    pub message: String,
    /// `OAuthException`, `GraphMethodException`, …
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Graph error code.
    #[serde(default)]
    pub code: i64,
    /// Optional subcode.
    #[serde(default)]
    pub error_subcode: Option<i64>,
    /// Meta says a retry may succeed.
    #[serde(default)]
    pub is_transient: bool,
    /// Title meant for end users.
    #[serde(default)]
    pub error_user_title: Option<String>,
    /// Message meant for end users.
    #[serde(default)]
    pub error_user_msg: Option<String>,
    /// Trace id for Meta support.
    #[serde(default)]
    pub fbtrace_id: Option<String>,
    /// Extra data: an object or a JSON-encoded string (docs/graph-api.md §1.1).
    #[serde(default)]
    pub error_data: Option<Value>,
}

/// Parse `{"error":{...}}`; `None` when the value has no `error` object.
pub fn wire_error(body: &Value) -> Option<WireError> {
    let err = body.get("error")?;
    if !err.is_object() {
        return None;
    }
    let mut parsed: WireError = serde_json::from_value(err.clone()).ok()?;
    // error_data may be a JSON-encoded string; decode it like the official SDK does.
    if let Some(Value::String(s)) = &parsed.error_data
        && let Ok(v) = serde_json::from_str::<Value>(s)
    {
        parsed.error_data = Some(v);
    }
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_full_error_body() {
        let body = json!({"error":{"message":"(#80004) too many","type":"OAuthException","code":80004,
            "error_subcode":2446079,"is_transient":false,"fbtrace_id":"AbC","error_data":"{\"x\":1}"}});
        let e = wire_error(&body).unwrap();
        assert_eq!(e.code, 80004);
        assert_eq!(e.error_subcode, Some(2446079));
        assert_eq!(e.fbtrace_id.as_deref(), Some("AbC"));
        assert_eq!(e.error_data, Some(json!({"x":1})));
    }

    #[test]
    fn minimal_and_absent_errors() {
        let e = wire_error(&json!({"error":{"message":"x","code":1}})).unwrap();
        assert_eq!((e.code, e.error_subcode, e.is_transient), (1, None, false));
        assert!(wire_error(&json!({"data":[]})).is_none());
        assert!(wire_error(&json!({"error":"nope"})).is_none());
    }

    #[test]
    fn display_names_account_and_trace() {
        let e = GraphError::Skipped {
            path: "act_1/ads".into(),
            code: 100,
            subcode: Some(33),
            message: "bad".into(),
            fbtrace_id: Some("T1".into()),
        };
        assert_eq!(e.to_string(), "skipped act_1/ads: (100/33) bad [fbtrace_id T1]");
        let e = GraphError::NeedsReauth { account: Some("1".into()), reason: "r".into() };
        assert_eq!(e.to_string(), "needs re-authorization (account 1): r");
    }
}
