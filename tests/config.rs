//! Configuration loading: the shipped file, interpolation, overrides and error messages.

use meta_ads_sync::config::{BUILTIN_DEFAULT_YAML, Config, from_yaml};
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
