//! The layers merged into one configuration: the parsed (and interpolated) file, then the
//! `META_ADS_SYNC__SECTION__KEY` environment overrides.
//!
//! Overrides are read here rather than by `config::Environment` because that one, to split
//! lists, must also guess types: it would turn a token `00123` into the number 123 and `1e5`
//! into 100000. Here every override stays text (trimmed of surrounding white space), and the
//! typed fields read numbers and booleans from text themselves.

use std::collections::BTreeMap;

use config::{Map, Source, Value, ValueKind};

/// Prefix of environment overrides: `META_ADS_SYNC__META__BASE_URL` sets `meta.base_url`.
pub const ENV_PREFIX: &str = "META_ADS_SYNC";

/// Keys whose override is a comma-separated list.
const LIST_KEYS: &[&str] =
    &["sync.accounts", "sync.businesses", "sync.levels", "sync.conversion_action_types"];

/// A fixed set of values, as a `config` source.
#[derive(Debug, Clone, Default)]
pub struct Layer(pub Map<String, Value>);

impl Source for Layer {
    fn clone_into_box(&self) -> Box<dyn Source + Send + Sync> {
        Box::new(self.clone())
    }

    fn collect(&self) -> Result<Map<String, Value>, config::ConfigError> {
        Ok(self.0.clone())
    }
}

/// The overrides among `env`, as a layer keyed by dotted path, and which variable set each key.
pub fn overrides(env: impl IntoIterator<Item = (String, String)>) -> (Layer, BTreeMap<String, String>) {
    let prefix = format!("{ENV_PREFIX}__");
    let origin = "the environment".to_string();
    let mut layer = Layer::default();
    let mut by_key = BTreeMap::new();
    for (name, raw) in env {
        let Some(path) = name.strip_prefix(&prefix) else { continue };
        let key = path.to_lowercase().replace("__", ".");
        let text = raw.trim();
        let kind = if LIST_KEYS.contains(&key.as_str()) {
            let items = text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::new(Some(&origin), s.to_string()));
            ValueKind::Array(items.collect())
        } else {
            ValueKind::String(text.to_string())
        };
        layer.0.insert(key.clone(), Value::new(Some(&origin), kind));
        by_key.insert(key, name);
    }
    (layer, by_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lists_and_text() {
        let env = [
            ("META_ADS_SYNC__META__RATE_LIMIT__CALLS_PER_HOUR", " 20 \n"),
            ("META_ADS_SYNC__SYNC__LEVELS", "ad, campaign"),
            ("META_ADS_SYNC__META__ACCESS_TOKEN", "00123\n"),
            ("META_ADS_SYNCX", "no"),
            ("OTHER", "no"),
        ];
        let (layer, by_key) = overrides(env.map(|(k, v)| (k.to_string(), v.to_string())));
        assert_eq!(layer.0.len(), 3);
        assert_eq!(layer.0["meta.rate_limit.calls_per_hour"].kind, ValueKind::String("20".into()));
        assert_eq!(layer.0["meta.access_token"].kind, ValueKind::String("00123".into()));
        let ValueKind::Array(levels) = &layer.0["sync.levels"].kind else { panic!("a list") };
        assert_eq!(levels[1].kind, ValueKind::String("campaign".into()));
        assert_eq!(by_key["meta.access_token"], "META_ADS_SYNC__META__ACCESS_TOKEN");
    }
}
