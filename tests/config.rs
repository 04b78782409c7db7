//! Configuration loading: the shipped file, interpolation, overrides and error messages.

use chrono::NaiveDate;
use meta_ads_sync::config::{BUILTIN_DEFAULT_YAML, Config, LogFormat, from_yaml, oldest_insights_day};
use meta_ads_sync::ids::AccountId;
use meta_ads_sync::model::InsightLevel;
use secrecy::ExposeSecret;

fn no_env(_: &str) -> Option<String> {
    None
}

fn load(yaml: &str) -> Result<Config, String> {
    from_yaml(yaml, no_env, Vec::new()).map_err(|e| e.to_string())
}

/// Dotted paths of every leaf of a JSON value.
fn leaves(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                leaves(v, &if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, out);
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

#[test]
fn shipped_default_matches_the_struct_defaults() {
    let shipped = load(BUILTIN_DEFAULT_YAML).expect("shipped config loads");
    let empty = load("{}").expect("empty config loads");
    // Same values: the file states the defaults the structs have.
    assert_eq!(serde_json::to_value(&shipped).unwrap(), serde_json::to_value(&empty).unwrap());
    // Same keys: a field added to the structs but not documented in config/default.yaml (or a
    // key left in the file that the structs dropped) shows here.
    let file: serde_json::Value = config::Config::builder()
        .add_source(config::File::from_str(BUILTIN_DEFAULT_YAML, config::FileFormat::Yaml))
        .build()
        .unwrap()
        .try_deserialize()
        .unwrap();
    let (mut in_file, mut in_structs) = (Vec::new(), Vec::new());
    leaves(&file, "", &mut in_file);
    leaves(&serde_json::to_value(&empty).unwrap(), "", &mut in_structs);
    in_file.sort();
    in_structs.sort();
    assert_eq!(in_file, in_structs, "config/default.yaml and src/config/model.rs disagree on the keys");
    assert_eq!(shipped.meta.base_url, "https://graph.facebook.com/v26.0");
    assert!(shipped.meta.access_token.is_none(), "unset ${{META_ACCESS_TOKEN}} means no token");
}

#[test]
fn interpolation_and_environment_overrides() {
    let yaml =
        "meta:\n  access_token: \"${TOKEN}\"\n  app_id: \"${APP:-123}\"\nwarehouse:\n  url: sqlite://a.db\n";
    let lookup = |k: &str| (k == "TOKEN").then(|| "EAAB-secret".to_string());
    let env = vec![
        ("META_ADS_SYNC__WAREHOUSE__URL".to_string(), "postgres://u@h/db".to_string()),
        ("META_ADS_SYNC__META__BATCH__MAX_SIZE".to_string(), "20".to_string()),
        ("META_ADS_SYNC__SYNC__ACCOUNTS".to_string(), "act_1,2".to_string()),
        ("UNRELATED".to_string(), "x".to_string()),
    ];
    let c = from_yaml(yaml, lookup, env).unwrap();
    assert_eq!(c.meta.access_token.unwrap().expose_secret(), "EAAB-secret");
    assert_eq!(c.meta.app_id.as_deref(), Some("123"));
    assert_eq!(c.warehouse.url, "postgres://u@h/db");
    assert_eq!(c.meta.batch.max_size, 20);
    let accounts: Vec<&str> = c.sync.accounts.iter().map(|a| a.as_str()).collect();
    assert_eq!(accounts, ["1", "2"], "act_1 and 2, held without act_");
}

#[test]
fn errors_name_the_key_and_the_fix() {
    let cases = [
        ("meta:\n  bse_url: x\n", "bse_url"),
        ("meta:\n  batch:\n    max_size: 51\n", "meta.batch.max_size must be between 1 and 50"),
        ("meta:\n  base_url: https://graph.facebook.com\n", "meta.base_url must end with the API version"),
        ("meta:\n  rate_limit:\n    insights_per_hour: 300\n", "meta.rate_limit.insights_per_hour"),
        ("meta:\n  page_size: lots\n", "page_size"),
        ("warehouse:\n  url: mysql://x\n", "warehouse.url must start with sqlite://"),
        ("sync:\n  levels: [campaign, keyword]\n", "\"keyword\" is not a level"),
        ("sync:\n  accounts: [\"act_12x\"]\n", "is not an ad account id"),
        ("sync:\n  start_date: \"2020-01-01\"\n", "Meta keeps insights for 37 months"),
        ("logging:\n  format: xml\n", "logging.format must be `human` or `json`"),
        ("meta:\n  app_id: \"${OOPS\"\n", "is not closed"),
    ];
    for (yaml, want) in cases {
        let err = load(yaml).expect_err(yaml);
        assert!(err.contains(want), "config {yaml:?}: error {err:?} does not contain {want:?}");
    }
}

#[test]
fn secrets_do_not_show_in_debug_output() {
    let lookup = |k: &str| (k == "S").then(|| "top-secret-value".to_string());
    let c =
        from_yaml("meta:\n  app_secret: \"${S}\"\n  access_token: \"${S}\"\n", lookup, Vec::new()).unwrap();
    assert!(!format!("{c:?}").contains("top-secret-value"));
}

fn load_env(yaml: &str, vars: &[(&str, &str)]) -> Result<Config, String> {
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let lookup = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    from_yaml(yaml, lookup, vars.clone()).map_err(|e| e.to_string())
}

#[test]
fn string_settings_are_typed_at_load() {
    let c = load(
        "sync:\n  levels: [ad, campaign, ad]\n  start_date: 2026-01-31\n  accounts: [act_7, \"8\"]\n\
         logging:\n  format: json\n  level: meta_ads_sync=debug,warn\n",
    )
    .unwrap();
    assert_eq!(c.sync.levels, [InsightLevel::Ad, InsightLevel::Campaign], "duplicates dropped, order kept");
    assert_eq!(c.sync.start_date, Some(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()));
    assert_eq!(c.sync.accounts, [AccountId::parse("7").unwrap(), AccountId::parse("8").unwrap()]);
    assert_eq!(c.logging.format, LogFormat::Json);
    assert_eq!(c.logging.level.as_str(), "meta_ads_sync=debug,warn");
    let empty = load("{}").unwrap();
    assert_eq!(empty.sync.levels, [InsightLevel::Campaign]);
    assert_eq!((empty.sync.start_date, empty.logging.format), (None, LogFormat::Human));
    assert_eq!(empty.sync.max_pages_per_listing, 10_000);
    assert_eq!(empty.meta.max_body_bytes, 32 * 1024 * 1024);
    assert_eq!(empty.meta.timeouts.body_idle_seconds, 30.0);
}

/// Every number of the configuration, given absurd values: refused at load with the key and
/// the allowed range, never saturated, wrapped or left to panic later.
#[test]
fn numbers_out_of_range_are_refused_with_key_and_range() {
    let cases: &[(&str, &str, &str)] = &[
        ("meta.retry.backoff_seconds", "1e300", "between 0 and 3600 seconds, got 1e300"),
        ("meta.retry.backoff_seconds", "-1", "between 0 and 3600 seconds, got -1"),
        ("meta.retry.max_backoff_seconds", ".nan", "between 0 and 86400 seconds, got NaN"),
        ("meta.retry.throttle_backoff_seconds", ".inf", "got inf"),
        ("meta.retry.policy_block_backoff_seconds", "-.inf", "got -inf"),
        ("meta.retry.max_attempts", "-1.0", "between 0 and 10 (a whole number), got -1"),
        ("meta.retry.max_attempts", "2.5", "got 2.5"),
        ("meta.timeouts.attempt_seconds", "0", "above 0 and at most 3600 seconds, got 0"),
        ("meta.timeouts.operation_seconds", "1e300", "above 0 and at most 86400 seconds"),
        ("meta.timeouts.body_idle_seconds", "nan", "above 0 and at most 3600 seconds, got NaN"),
        ("meta.report_run.poll_seconds", "-2", "above 0 and at most 3600 seconds, got -2"),
        ("meta.report_run.max_poll_seconds", "1e300", "at most 3600 seconds"),
        ("meta.rate_limit.slow_down_at_pct", "nan", "between 0 and 100, got NaN"),
        ("meta.rate_limit.slow_down_at_pct", "101", "between 0 and 100, got 101"),
        ("meta.rate_limit.calls_per_hour", "0", "between 1 and 1000000000"),
        ("meta.rate_limit.insights_per_hour", "1e300", "got 1e300"),
        ("meta.rate_limit.window_seconds", "99999999999999999999", "between 1 and 86400"),
        ("meta.rate_limit.app_calls_per_hour", "0", "between 1 and 1000000000 (a whole number), got 0"),
        ("meta.page_size", "-5", "between 1 and 5000"),
        ("meta.max_body_bytes", "1e300", "between 1024 and 4294967296"),
        ("meta.batch.max_size", "0", "between 1 and 50"),
        ("warehouse.lease_seconds", "1e300", "between 30 and 86400 (a whole number), got 1e300"),
        ("warehouse.lease_seconds", "18446744073709551615", "between 30 and 86400"),
        ("sync.lookback_days", "-1", "between 0 and 400"),
        ("sync.concurrency", "65", "between 1 and 64"),
        ("sync.updated_time_overlap_seconds", "9223372036854775807", "between 0 and 86400"),
        ("sync.max_pages_per_listing", "0", "between 1 and 10000000"),
    ];
    for (key, value, want) in cases {
        let (section, rest) = key.split_once('.').unwrap();
        let yaml = match rest.split_once('.') {
            Some((sub, leaf)) => format!("{section}:\n  {sub}:\n    {leaf}: {value}\n"),
            None => format!("{section}:\n  {rest}: {value}\n"),
        };
        let err = load(&yaml).expect_err(&yaml);
        assert!(err.starts_with(&format!("config: {key} must be")), "{key} = {value}: {err}");
        assert!(err.contains(want), "{key} = {value}: {err:?} does not contain {want:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        // The same value from an environment override is refused the same way.
        let var = format!("META_ADS_SYNC__{}", key.to_uppercase().replace('.', "__"));
        let value = value.trim_start_matches('.');
        let err = load_env("{}", &[(&var, value)]).expect_err(&var);
        assert!(err.starts_with(&format!("config: {key} must be")), "{var}={value}: {err}");
    }
    // Settings that depend on each other.
    for (yaml, want) in [
        (
            "meta:\n  retry:\n    backoff_seconds: 100\n    max_backoff_seconds: 50\n",
            "meta.retry.max_backoff_seconds must be at least backoff_seconds",
        ),
        (
            "meta:\n  timeouts:\n    attempt_seconds: 60\n    operation_seconds: 30\n",
            "meta.timeouts need 0 < attempt_seconds ≤ operation_seconds",
        ),
        (
            "meta:\n  report_run:\n    poll_seconds: 30\n    max_poll_seconds: 10\n",
            "meta.report_run.max_poll_seconds must be at least poll_seconds",
        ),
    ] {
        let err = load(yaml).expect_err(yaml);
        assert!(err.contains(want), "{yaml:?}: {err}");
    }
}

#[test]
fn secrets_are_substituted_as_values_exactly() {
    let yaml = "meta:\n  access_token: \"${TOKEN}\"\n  app_secret: ${SECRET}\n  app_id: '${APP}'\n";
    for token in ["EAAB\"quoted: yes #not-a-comment\\x41 ${SECRET}", "EAAB-plain", "tok'en"] {
        let padded = format!("  {token}\n");
        let c = load_env(yaml, &[("TOKEN", &padded), ("SECRET", "s3cr#t: x\n"), ("APP", " 1234\n")]).unwrap();
        assert_eq!(c.meta.access_token.unwrap().expose_secret(), token, "used as given, trimmed");
        assert_eq!(c.meta.app_secret.unwrap().expose_secret(), "s3cr#t: x");
        assert_eq!(c.meta.app_id.as_deref(), Some("1234"));
    }
    // An override is text too: a token of digits stays as written.
    let c = load_env("{}", &[("META_ADS_SYNC__META__ACCESS_TOKEN", "00123e5\n")]).unwrap();
    assert_eq!(c.meta.access_token.unwrap().expose_secret(), "00123e5");
    // Unset or blank: not configured.
    let c = load_env(yaml, &[("TOKEN", " \n")]).unwrap();
    assert!(c.meta.access_token.is_none() && c.meta.app_secret.is_none() && c.meta.app_id.is_none());
}

#[test]
fn a_token_that_cannot_be_a_header_names_its_variable() {
    let yaml = "meta:\n  access_token: \"${META_ACCESS_TOKEN}\"\n";
    for token in ["EAAB\nsecond-line", "EAAB\u{7}bell", "EAAB\r\nX-Injected: 1", "EAAB\u{e9}"] {
        let err = load_env(yaml, &[("META_ACCESS_TOKEN", token)]).expect_err(token);
        assert!(
            err.starts_with("config: meta.access_token (from $META_ACCESS_TOKEN) holds a character"),
            "{err}"
        );
        assert!(!err.contains("EAAB"), "the token is not printed: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let err = load_env("{}", &[("META_ADS_SYNC__META__ACCESS_TOKEN", "a\u{0}b")]).unwrap_err();
    assert!(err.contains("(from $META_ADS_SYNC__META__ACCESS_TOKEN)"), "{err}");
    let err = load_env("meta:\n  app_secret: \"${S}\"\n", &[("S", "ab\ncd")]).unwrap_err();
    assert!(err.starts_with("config: meta.app_secret (from $S)"), "{err}");
    // A secret variable substituted where a number belongs is not quoted back.
    let err = load_env(
        "meta:\n  page_size: \"${META_ACCESS_TOKEN}\"\n",
        &[("META_ACCESS_TOKEN", "EAAB-top-secret")],
    )
    .unwrap_err();
    assert!(err.contains("meta.page_size") && !err.contains("EAAB-top-secret"), "{err}");
    assert!(err.contains("${META_ACCESS_TOKEN}"), "{err}");
}

#[test]
fn urls_with_credentials_are_refused_or_redacted() {
    let err = load("meta:\n  base_url: \"https://me:hunter2@graph.facebook.com/v26.0\"\n").unwrap_err();
    assert!(err.starts_with("config: meta.base_url must not carry a user name or password"), "{err}");
    assert!(err.contains("https://***@graph.facebook.com/v26.0") && !err.contains("hunter2"), "{err}");
    let err = load("meta:\n  base_url: \"https://token@graph.facebook.com/v26.0\"\n").unwrap_err();
    assert!(err.contains("must not carry") && !err.contains("token@"), "{err}");
    let err = load("meta:\n  base_url: \"ftp://u:hunter2@h/v26.0\"\n").unwrap_err();
    assert!(!err.contains("hunter2"), "{err}");
    let err = load("warehouse:\n  url: \"mysql://root:hunter2@db/x\"\n").unwrap_err();
    assert!(
        err.contains("warehouse.url must start with sqlite://") && err.contains("mysql://***@db/x"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
    // A password in a Postgres URL is fine (trust auth is not everywhere).
    let c = load("warehouse:\n  url: \"postgres://u:pw@h/db\"\n").unwrap();
    assert_eq!(c.warehouse.url, "postgres://u:pw@h/db");
}

#[test]
fn validation_gaps_are_closed() {
    let today = chrono::Utc::now().date_naive();
    let future = today + chrono::Days::new(5);
    let err = load(&format!("sync:\n  start_date: \"{future}\"\n")).unwrap_err();
    assert!(err.starts_with(&format!("config: sync.start_date starts on {future}, in the future")), "{err}");
    let tomorrow = today + chrono::Days::new(1);
    assert!(load(&format!("sync:\n  start_date: {tomorrow}\n")).is_ok(), "time zones ahead of UTC");
    let oldest = oldest_insights_day(today);
    assert_eq!(load(&format!("sync:\n  start_date: {oldest}\n")).unwrap().sync.start_date, Some(oldest));
    for (yaml, want) in [
        (
            "sync:\n  start_date: 2026-02-30\n",
            "sync.start_date must be a date like 2026-01-31, got \"2026-02-30\"",
        ),
        ("warehouse:\n  lease_seconds: 864000\n", "warehouse.lease_seconds must be between 30 and 86400"),
        (
            "meta:\n  rate_limit:\n    app_calls_per_hour: 0\n",
            "meta.rate_limit.app_calls_per_hour must be between 1",
        ),
        ("sync:\n  levels: []\n", "sync.levels list at least one of"),
        ("sync:\n  businesses: [acme]\n", "sync.businesses \"acme\" is not a business id"),
        (
            "meta:\n  app_id: my-app\n",
            "meta.app_id (as written in the config file) must be the numeric app id",
        ),
        (
            "meta:\n  base_url: \"https://graph.facebook.com/v26.0?debug=all\"\n",
            "meta.base_url must have no ?query",
        ),
        ("logging:\n  level: \"=^_^=\"\n", "logging.level is not a valid filter"),
        (
            "meta:\n  retry:\n    backof_seconds: 1\n",
            "config: meta.retry.backof_seconds is not a setting this version knows",
        ),
        ("metaa:\n  x: 1\n", "config: metaa is not a setting"),
        ("meta: 5\n", "config: meta has the wrong type"),
        ("meta:\n  base_url: [\n", "config: YAML:"),
        ("meta:\n  app_id: \"${OOPS\"\n", "config: meta.app_id `${` is not closed"),
    ] {
        let err = load(yaml).expect_err(yaml);
        assert!(err.contains(want), "{yaml:?}: {err:?} does not contain {want:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(
        load("meta:\n  rate_limit:\n    app_calls_per_hour: 5\n").unwrap().meta.rate_limit.app_calls_per_hour,
        Some(5)
    );
}
