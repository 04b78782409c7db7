//! Usage headers (docs/graph-api.md §2.1–§2.6): four header values from the input's lines. No
//! panic, and every figure is finite and within its clamp.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use meta_ads_sync::graph::usage::{MAX_PCT, MAX_SERVER_WAIT, Usage, account_key};

const NAMES: [&str; 4] =
    ["x-app-usage", "x-ad-account-usage", "x-business-use-case-usage", "x-fb-ads-insights-throttle"];

fn pct_ok(p: f64) -> bool {
    p.is_finite() && (0.0..=MAX_PCT).contains(&p)
}

fn wait_ok(d: Option<Duration>) -> bool {
    d.is_none_or(|d| d <= MAX_SERVER_WAIT)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let values: Vec<&str> = text.splitn(4, '\n').collect();
    let u = Usage::from_headers(|name| {
        NAMES.iter().position(|n| n.eq_ignore_ascii_case(name)).and_then(|i| values.get(i).copied())
    });
    let max_wait = MAX_SERVER_WAIT.as_secs_f64();
    if let Some(a) = u.app {
        assert!(pct_ok(a.call_count) && pct_ok(a.total_time) && pct_ok(a.total_cputime), "{a:?}");
    }
    if let Some(a) = u.ad_account {
        assert!(pct_ok(a.acc_id_util_pct), "{a:?}");
        assert!(
            a.reset_time_duration.is_none_or(|s| s.is_finite() && (0.0..=max_wait).contains(&s)),
            "{a:?}"
        );
    }
    if let Some(i) = u.insights {
        assert!(pct_ok(i.app_id_util_pct) && pct_ok(i.acc_id_util_pct), "{i:?}");
    }
    for b in &u.buc {
        assert!(pct_ok(b.call_count) && pct_ok(b.total_time) && pct_ok(b.total_cputime), "{b:?}");
        let m = b.estimated_time_to_regain_access;
        assert!(m.is_finite() && (0.0..=max_wait / 60.0).contains(&m), "{b:?}");
    }
    assert!(u.app_pct().is_none_or(pct_ok));
    assert!(wait_ok(u.regain_access()) && wait_ok(u.account_reset()));
    let request = values.first().map(|v| account_key(v));
    for account in u.accounts() {
        assert!(u.account_pct(account, request.as_deref()).is_none_or(pct_ok));
        assert!(wait_ok(u.regain_access_for(account)));
    }
    assert_eq!(
        u.is_empty(),
        u.app.is_none() && u.ad_account.is_none() && u.buc.is_empty() && u.insights.is_none()
    );
});
