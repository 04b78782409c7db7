//! The classifier as a table: every code of the policy (docs/graph-api.md §1), plus transport failures.

use super::*;

const HOUR: Duration = Duration::from_secs(3600);
const POLICY: Policy = Policy { throttle_backoff: HOUR, policy_block_backoff: Duration::from_secs(7200) };

fn err(code: i64, subcode: Option<i64>, transient: bool, message: &str) -> WireError {
    WireError {
        message: message.to_string(),
        code,
        error_subcode: subcode,
        is_transient: transient,
        ..WireError::default()
    }
}

fn usage_with_regain(account: &str, minutes: u32) -> Usage {
    let header = format!(
        r#"{{"{account}":[{{"type":"ads_management","call_count":100,"total_time":1,"total_cputime":1,"estimated_time_to_regain_access":{minutes}}}]}}"#
    );
    Usage::from_headers(|n| (n == "x-business-use-case-usage").then_some(header.as_str()))
}

/// status, code, subcode, is_transient, message, usage headers, context → decision.
type Row<'a> = (u16, i64, Option<i64>, bool, &'a str, &'a Usage, Context, Decision);

fn for_(d: Duration) -> Wait {
    Wait::For(d)
}

#[test]
fn every_code_of_the_policy() {
    use Decision::*;
    let none = Usage::default();
    let regain = usage_with_regain("42", 7);
    let long = usage_with_regain("42", 90);
    let seven = Duration::from_secs(7 * 60);
    let poll = Context { report_run_poll: true };
    let plain = Context::default();
    let acct = Throttle { scope: Scope::Account, wait: Wait::Backoff };
    let app = Throttle { scope: Scope::App, wait: Wait::Backoff };
    let page = Shrink(Axis::Page);
    let query = Shrink(Axis::Query);
    let perm = |p: &str| Reauthorize { permission: Some(p.to_string()) };
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        // 190 (any subcode) and 102: refresh once, then re-authorize.
        (400, 190, None, false, "Error validating access token", &none, plain, RefreshToken),
        (400, 190, Some(463), false, "Session has expired", &none, plain, RefreshToken),
        (400, 190, Some(460), false, "password changed", &none, plain, RefreshToken),
        (400, 102, None, false, "API session", &none, plain, RefreshToken),
        // 10, 200–299: re-authorize, naming the permission.
        (403, 200, None, false, "(#200) Requires business_management permission to manage the object", &none, plain, perm("business_management")),
        (403, 299, None, false, "(#299) Requires ads_read permission", &none, plain, perm("ads_read")),
        (400, 10, None, false, "(#10) Application does not have permission for this action", &none, plain, Reauthorize { permission: None }),
        (400, 3, None, false, "(#3) Application does not have the capability to make this API call.", &none, plain, Reauthorize { permission: None }),
        // 613: one hour (configurable) for the account; a longer estimate wins.
        (400, 613, None, false, "(#613) Calls to this api have exceeded the rate limit.", &none, plain, Throttle { scope: Scope::Account, wait: for_(HOUR) }),
        (400, 613, Some(1487742), false, "too many calls from this ad-account", &regain, plain, Throttle { scope: Scope::Account, wait: for_(HOUR) }),
        (400, 613, None, false, "x", &long, plain, Throttle { scope: Scope::Account, wait: for_(Duration::from_secs(5400)) }),
        // BUC throttles: the estimate from the headers, else backoff.
        (400, 80000, Some(2446079), false, "(#80000) too many calls", &regain, plain, Throttle { scope: Scope::Account, wait: for_(seven) }),
        (400, 80004, Some(2446079), false, "(#80004) too many calls", &none, plain, acct.clone()),
        (400, 80001, None, false, "page", &none, plain, acct.clone()),
        (400, 80003, Some(2446079), false, "ca", &regain, plain, Throttle { scope: Scope::Account, wait: for_(seven) }),
        (400, 80014, None, false, "catalog batch", &none, plain, acct.clone()),
        (400, 17, Some(2446079), false, "(#17) User request limit reached", &none, plain, acct.clone()),
        (400, 17, None, false, "(#17) User request limit reached", &regain, plain, Throttle { scope: Scope::App, wait: for_(seven) }),
        (400, 4, Some(1504022), false, "(#4) too many calls from this app", &none, plain, app.clone()),
        (400, 4, None, true, "(#4) Application request limit reached", &regain, plain, Throttle { scope: Scope::App, wait: for_(seven) }),
        (400, 32, None, false, "(#32) Page request limit reached", &none, plain, app.clone()),
        (400, 341, None, false, "(#341) Application limit reached", &none, plain, app.clone()),
        // 368: long backoff.
        (400, 368, None, false, "(#368) temporarily blocked for policies violations", &none, plain, Throttle { scope: Scope::App, wait: for_(Duration::from_secs(7200)) }),
        // Transient: codes 1 and 2, is_transient, 5xx.
        (500, 1, Some(99), false, "An unknown error occurred", &none, plain, Retry),
        (500, 1, None, false, "An unknown error occurred", &none, plain, Retry),
        (400, 2, None, true, "(#2) Service temporarily unavailable", &none, plain, Retry),
        (400, 2, Some(1504043), false, "intermittent error", &none, plain, Retry),
        (400, 960, None, false, "batch error", &none, plain, Retry),
        (400, 9999, None, true, "new transient thing", &none, plain, Retry),
        (503, 12345, None, false, "unknown server trouble", &none, plain, Retry),
        (400, -2, Some(2490547), true, "Try again later", &none, plain, Retry),
        (200, -2, Some(2490547), false, "async report failed: Try again later", &none, plain, Retry),
        (200, -2, Some(1), false, "internal", &none, plain, Fail),
        // Too much data: shrink.
        (500, 1, None, false, "Please reduce the amount of data you're asking for, then retry your request", &none, plain, page.clone()),
        (400, 100, Some(1487534), false, "too much data", &none, plain, query.clone()),
        (400, 100, Some(1504018), false, "insights sync request timed out", &none, plain, query.clone()),
        (400, 2, Some(1504038), false, "sync timeout", &none, plain, query.clone()),
        // 100: skip and record; 100/33 while polling a fresh report run: retry.
        (400, 100, None, false, "(#100) Invalid parameter", &none, plain, Skip),
        (400, 100, Some(33), false, "Unsupported get request.", &none, plain, Skip),
        (400, 100, Some(33), false, "Unsupported get request.", &none, poll, Retry),
        (400, 100, Some(1487694), false, "targeting", &none, plain, Skip),
        // Requests that are simply wrong.
        (400, 2, Some(1504041), false, "invalid breakdowns", &none, plain, Fail),
        (400, 506, None, false, "Duplicate Post", &none, plain, Fail),
        (404, 803, None, false, "alias does not exist", &none, plain, Fail),
    ];
    for (i, (status, code, sub, transient, msg, usage, ctx, want)) in table.into_iter().enumerate() {
        let e = err(code, sub, transient, msg);
        let got = classify(&Failure::Api { status, error: &e }, usage, Some("act_42"), &POLICY, ctx);
        assert_eq!(got, want, "row {i}: {status} {code}/{sub:?} {msg}");
    }
}

#[test]
fn transport_failures_and_unreadable_bodies() {
    let u = Usage::default();
    let c = Context::default();
    for (failure, want) in [
        (Failure::Timeout, Decision::Retry),
        (Failure::Connection, Decision::Retry),
        (Failure::Unreadable { status: 500, cut_off: false }, Decision::Retry), // HTML 500
        (Failure::Unreadable { status: 502, cut_off: false }, Decision::Retry),
        (Failure::Unreadable { status: 200, cut_off: false }, Decision::Retry), // truncated / malformed JSON
        (Failure::Unreadable { status: 0, cut_off: false }, Decision::Retry),   // no status at all
        (Failure::NullItem, Decision::ResendNow),                               // null batch item: at once
        (Failure::Unreadable { status: 429, cut_off: false }, Decision::Retry),
        (Failure::Unreadable { status: 400, cut_off: true }, Decision::Retry), // a 190 cut off in transit
        // A bare 404 is not the Graph API answering: the base URL is wrong, no retry.
        (Failure::Unreadable { status: 404, cut_off: false }, Decision::WrongBaseUrl),
        (Failure::Unreadable { status: 403, cut_off: false }, Decision::Fail),
        // No connection: a wrong URL until the base URL has answered once, an outage after.
        (Failure::Connect { answered_before: false }, Decision::WrongBaseUrl),
        (Failure::Connect { answered_before: true }, Decision::Retry),
        // A body over the cap comes back just as big.
        (Failure::TooLarge, Decision::Fail),
    ] {
        assert_eq!(classify(&failure, &u, None, &POLICY, c), want, "{failure:?}");
    }
}

#[test]
fn estimate_of_another_account_applies_when_request_has_none() {
    let e = err(80004, Some(2446079), false, "x");
    let got = classify(
        &Failure::Api { status: 400, error: &e },
        &usage_with_regain("9", 2),
        None,
        &POLICY,
        Context::default(),
    );
    assert_eq!(got, Decision::Throttle { scope: Scope::Account, wait: Wait::For(Duration::from_secs(120)) });
}

#[test]
fn absurd_regain_estimates_are_clamped_never_panic() {
    let day = crate::graph::usage::MAX_SERVER_WAIT;
    let buc = |value: &str| {
        let header = format!(
            r#"{{"42":[{{"type":"ads_management","call_count":{value},"total_time":1,"total_cputime":1,"estimated_time_to_regain_access":{value}}}]}}"#
        );
        Usage::from_headers(|n| (n == "x-business-use-case-usage").then_some(header.as_str()))
    };
    let throttle = err(80004, Some(2446079), false, "(#80004) too many calls");
    let custom = err(613, None, false, "(#613) rate limit");
    for (value, want) in [
        ("1e300", Wait::For(day)),
        ("18446744073709551616", Wait::For(day)),
        ("-30", Wait::Backoff),
        (r#""NaN""#, Wait::Backoff),
        (r#""inf""#, Wait::Backoff),
        (r#""-inf""#, Wait::Backoff),
    ] {
        let u = buc(value);
        let got = classify(
            &Failure::Api { status: 400, error: &throttle },
            &u,
            Some("act_42"),
            &POLICY,
            Context::default(),
        );
        assert_eq!(got, Decision::Throttle { scope: Scope::Account, wait: want }, "80004 with {value}");
        // 613 waits the configured hour, or the estimate when longer — never past the clamp.
        let got = classify(
            &Failure::Api { status: 400, error: &custom },
            &u,
            Some("act_42"),
            &POLICY,
            Context::default(),
        );
        let hour_or_day = if want == Wait::Backoff { HOUR } else { day };
        assert_eq!(
            got,
            Decision::Throttle { scope: Scope::Account, wait: for_(hour_or_day) },
            "613 with {value}"
        );
    }
}

#[test]
fn permission_names() {
    assert_eq!(
        missing_permission("(#200) Requires business_management permission to manage the object").as_deref(),
        Some("business_management")
    );
    assert_eq!(
        missing_permission("(#200) The user hasn't authorized the ads_management permissions").as_deref(),
        Some("ads_management")
    );
    assert_eq!(
        missing_permission(
            "(#272) This Ads API call requires the user to be admin of the application. ads_read needed"
        )
        .as_deref(),
        Some("ads_read")
    );
    assert_eq!(missing_permission("(#10) Not enough permission"), None);
}
