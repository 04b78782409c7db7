//! One HTTP attempt and how its answer reads: a JSON value, or a [`Fault`] for the classifier.
//! Also the same reading for batch items, whose status, headers and body arrive inside the
//! envelope.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::classify::Failure;
use super::error::{WireError, wire_error};
use super::usage::Usage;

/// A failed attempt, owned (the classifier borrows it as a [`Failure`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// No answer within the per-attempt timeout.
    Timeout,
    /// Connection refused, reset or closed early; the text says which (no URL, no secrets).
    Connection(String),
    /// An answer that is not JSON or not a Graph error (HTML 500, truncated body, `null` item).
    Unreadable {
        /// HTTP status (0 for a `null` batch item).
        status: u16,
        /// What was wrong with it.
        detail: String,
        /// The body was cut off in transit (see [`Failure::Unreadable`]).
        cut_off: bool,
    },
    /// A Graph error body.
    Api {
        /// HTTP status or batch item `code`.
        status: u16,
        /// The error (boxed: it is large and rare).
        error: Box<WireError>,
    },
}

impl Fault {
    /// The borrowed view the classifier takes.
    pub fn as_failure(&self) -> Failure<'_> {
        match self {
            Fault::Timeout => Failure::Timeout,
            Fault::Connection(_) => Failure::Connection,
            Fault::Unreadable { status, cut_off, .. } => {
                Failure::Unreadable { status: *status, cut_off: *cut_off }
            }
            Fault::Api { status, error } => Failure::Api { status: *status, error },
        }
    }

    /// One line for logs and errors (unredacted: callers scrub it).
    pub fn describe(&self) -> String {
        match self {
            Fault::Timeout => "attempt timed out".to_string(),
            Fault::Connection(d) => format!("connection error: {d}"),
            Fault::Unreadable { status, detail, .. } => format!("HTTP {status}: {detail}"),
            Fault::Api { status, error } => format!(
                "HTTP {status} ({}/{}) {}",
                error.code,
                error.error_subcode.unwrap_or(0),
                error.message
            ),
        }
    }
}

/// Read a status and body the way the Graph API means them: an `error` object is a failure
/// whatever the status; a success needs a 2xx status and JSON.
pub fn interpret(status: u16, body: Result<Value, String>) -> Result<Value, Fault> {
    match body {
        Ok(v) => match wire_error(&v) {
            Some(error) => Err(Fault::Api { status, error: Box::new(error) }),
            None if (200..300).contains(&status) => Ok(v),
            None => Err(Fault::Unreadable {
                status,
                detail: "error status without a Graph error".into(),
                cut_off: false,
            }),
        },
        Err(detail) => {
            let cut_off = detail.starts_with(TRUNCATED) || detail.starts_with(CUT_OFF);
            Err(Fault::Unreadable { status, detail, cut_off })
        }
    }
}

const TRUNCATED: &str = "truncated JSON";
const CUT_OFF: &str = "body cut off";

/// A listing answer with its rows left as raw JSON.
#[derive(serde::Deserialize)]
struct LeanPage<'a> {
    #[serde(borrow)]
    data: Option<Vec<&'a serde_json::value::RawValue>>,
    paging: Option<Value>,
    error: Option<Value>,
}

/// Like [`parse_body`], but a listing's `data` rows come back as JSON strings of their raw text
/// (see `GraphRequest::lean_rows`); anything else (errors, node reads, bad bodies) is parsed as
/// [`parse_body`] does.
pub fn parse_body_lean(bytes: &[u8]) -> Result<Value, String> {
    match serde_json::from_slice::<LeanPage<'_>>(bytes) {
        Ok(LeanPage { error: Some(error), .. }) => Ok(serde_json::json!({ "error": error })),
        Ok(LeanPage { data: Some(rows), paging, error: None }) => {
            let rows = rows.into_iter().map(|r| Value::String(r.get().to_string())).collect();
            let mut page = serde_json::Map::new();
            page.insert("data".into(), Value::Array(rows));
            if let Some(paging) = paging {
                page.insert("paging".into(), paging);
            }
            Ok(Value::Object(page))
        }
        _ => parse_body(bytes),
    }
}

/// Parse a body as JSON, describing (not quoting) what is wrong: bodies may echo request data.
pub fn parse_body(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| {
        let kind = if e.is_eof() { TRUNCATED } else { "malformed JSON" };
        let html = bytes.iter().take(64).any(|b| *b == b'<');
        format!("{kind}{} ({} bytes)", if html { ", looks like HTML" } else { "" }, bytes.len())
    })
}

/// Send a built request and read the whole answer within `limit`; timeouts and transport errors
/// become faults. Returns the usage headers even for error answers.
pub async fn round_trip(
    rb: reqwest::RequestBuilder,
    limit: Duration,
    lean_rows: bool,
) -> (Result<Value, Fault>, Usage) {
    let attempt = async {
        let resp = rb.send().await.map_err(transport_fault)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let usage = Usage::from_headers(|n| headers.get(n).and_then(|v| v.to_str().ok()));
        let body = match resp.bytes().await {
            Ok(b) if lean_rows => parse_body_lean(&b),
            Ok(b) => parse_body(&b),
            Err(e) if e.is_timeout() => return Err(Fault::Timeout),
            Err(e) => Err(format!("{CUT_OFF}: {}", e.without_url())),
        };
        Ok((interpret(status, body), usage))
    };
    match tokio::time::timeout_at(Instant::now() + limit, attempt).await {
        Err(_) => (Err(Fault::Timeout), Usage::default()),
        Ok(Err(fault)) => (Err(fault), Usage::default()),
        Ok(Ok(answer)) => answer,
    }
}

fn transport_fault(e: reqwest::Error) -> Fault {
    if e.is_timeout() {
        return Fault::Timeout;
    }
    // Describe the error chain without the URL (it carries the appsecret_proof query).
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    Fault::Connection(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_answers_like_the_graph_api_means_them() {
        assert_eq!(interpret(200, Ok(json!({"id":"1"}))), Ok(json!({"id":"1"})));
        let err = interpret(400, Ok(json!({"error":{"code":100,"message":"m"}}))).unwrap_err();
        assert!(matches!(err, Fault::Api { status: 400, ref error } if error.code == 100));
        // An error object inside a 200 is still an error.
        assert!(matches!(interpret(200, Ok(json!({"error":{"code":2}}))), Err(Fault::Api { .. })));
        assert!(matches!(interpret(500, Ok(json!({"x":1}))), Err(Fault::Unreadable { status: 500, .. })));
        let html = parse_body(b"<html><body>500 Internal Server Error</body></html>").unwrap_err();
        assert!(html.contains("HTML"), "{html}");
        assert!(parse_body(br#"{"data":[{"id":"1"#).unwrap_err().starts_with("truncated"));
        assert!(parse_body(b"Service Unavailable").unwrap_err().starts_with("malformed"));
    }

    #[test]
    fn lean_pages_keep_rows_as_text_and_everything_else_as_parsed() {
        let page = br#"{"data":[{"a":"1","b":[{"x":"2"}]},{"a":"3"}],"paging":{"cursors":{"after":"Q"},"next":"n"}}"#;
        let lean = parse_body_lean(page).unwrap();
        assert_eq!(lean["data"][0], Value::String(r#"{"a":"1","b":[{"x":"2"}]}"#.into()));
        assert_eq!(lean["paging"], parse_body(page).unwrap()["paging"]);
        let error = br#"{"error":{"message":"(#80000) too many calls","code":80000}}"#;
        assert_eq!(parse_body_lean(error).unwrap(), parse_body(error).unwrap());
        let node = br#"{"id":"act_1","name":"x"}"#;
        assert_eq!(parse_body_lean(node).unwrap(), parse_body(node).unwrap());
        assert!(parse_body_lean(br#"{"data":[{"id":"1"#).unwrap_err().starts_with("truncated"));
    }
}
