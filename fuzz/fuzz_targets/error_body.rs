//! Error bodies (docs/graph-api.md §1.1): any status and body bytes, read the way the client
//! reads an HTTP answer, then classified. No panic; an `Ok` answer is a 2xx without an `error`
//! member; the lean reader agrees with the full one on errors and on every row.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use meta_ads_sync::graph::body::{interpret, parse_body, parse_body_lean};
use meta_ads_sync::graph::classify::{Context, Policy, classify, missing_permission};
use meta_ads_sync::graph::error::wire_error;
use meta_ads_sync::graph::fault::Fault;
use meta_ads_sync::graph::usage::Usage;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]) % 1000, rest),
        _ => (200, data),
    };
    let full = parse_body(body);
    let lean = parse_body_lean(body);
    if let (Ok(f), Ok(l)) = (&full, &lean) {
        assert_eq!(wire_error(f).is_some(), wire_error(l).is_some(), "lean and full disagree on the error");
        if wire_error(f).is_none()
            && let (Some(Value::Array(rows)), Some(Value::Array(texts))) = (f.get("data"), l.get("data"))
        {
            assert_eq!(rows.len(), texts.len());
            for (row, text) in rows.iter().zip(texts) {
                // A lean row is the raw text of the row (or the row itself when lean fell back).
                let reread = match text {
                    Value::String(s) if !matches!(row, Value::String(_)) => serde_json::from_str(s).unwrap(),
                    other => other.clone(),
                };
                assert_eq!(&reread, row, "a lean row reads back as another value");
            }
        }
    }
    let policy = Policy {
        throttle_backoff: Duration::from_secs(3600),
        policy_block_backoff: Duration::from_secs(600),
    };
    for body in [full, lean] {
        match interpret(status, body) {
            Ok(v) => {
                assert!((200..300).contains(&status));
                // docs/graph-api.md §1.1: any body with an `error` member is a failure.
                assert!(v.get("error").is_none_or(Value::is_null), "a success with an error member: {v}");
            }
            Err(fault) => {
                let _ = fault.describe();
                if let Fault::Api { error, .. } = &fault {
                    let _ = missing_permission(&error.message);
                }
                for answered in [false, true] {
                    let failure = fault.as_failure(answered);
                    for ctx in [Context::default(), Context { report_run_poll: true }] {
                        let _ = classify(&failure, &Usage::default(), Some("act_1"), &policy, ctx);
                        let _ = classify(&failure, &Usage::default(), None, &policy, ctx);
                    }
                }
            }
        }
    }
});
