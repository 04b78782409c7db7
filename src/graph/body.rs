//! How an answer reads: a status and body bytes (of an HTTP response or a batch item) become a
//! JSON value or a [`Fault`] for the classifier. Pure, no I/O.

use serde_json::Value;

use super::error::wire_error;
use super::fault::Fault;

/// Read a status and body the way the Graph API means them: an `error` object is a failure
/// whatever the status; a success needs a 2xx status and JSON.
pub fn interpret(status: u16, body: Result<Value, String>) -> Result<Value, Fault> {
    match body {
        Ok(v) => match wire_error(&v) {
            Some(error) => Err(Fault::Api { status, error: Box::new(error) }),
            // Any body with an `error` member is a failure (docs/graph-api.md §1.1), also one
            // whose error does not read as a Graph error (`"error":"x"`, a code that is text).
            None if v.get("error").is_some_and(|e| !e.is_null()) => Err(Fault::Unreadable {
                status,
                detail: "an `error` member that is not a Graph error".into(),
                cut_off: false,
            }),
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

pub(crate) const TRUNCATED: &str = "truncated JSON";
pub(crate) const CUT_OFF: &str = "body cut off";

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
        // The error_body fuzz target checks this: a 200 whose `error` is no Graph error object
        // passed as a success.
        for garbled in
            [json!({"error":"nope"}), json!({"error":{"code":"190"}}), json!({"error":{"is_transient":1}})]
        {
            assert!(
                matches!(interpret(200, Ok(garbled.clone())), Err(Fault::Unreadable { status: 200, .. })),
                "{garbled}"
            );
        }
        assert_eq!(interpret(200, Ok(json!({"error":null,"id":"1"}))), Ok(json!({"error":null,"id":"1"})));
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
