//! The configuration file's YAML as a `config` value tree. Read here rather than by the config
//! crate's YAML format, which fails on `.inf` and `.nan` with a message naming no key: here they
//! are numbers, refused by the range check of the key they are under.

use config::{Map, Value, ValueKind};
use yaml_rust2::{Yaml, YamlLoader};

use super::error::ConfigError;

/// Parses `text` (one YAML document whose top is a mapping; empty means no settings).
pub fn parse(text: &str) -> Result<Map<String, Value>, ConfigError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| ConfigError::Parse(format!("YAML: {e}")))?;
    let root = match docs.as_slice() {
        [] | [Yaml::Null] => return Ok(Map::new()),
        [one] => value(one, "")?,
        more => return Err(ConfigError::Parse(format!("expected one YAML document, got {}", more.len()))),
    };
    match root.kind {
        ValueKind::Table(t) => Ok(t),
        _ => Err(ConfigError::Parse("the file must be a mapping of sections (meta:, warehouse:, …)".into())),
    }
}

fn value(y: &Yaml, key: &str) -> Result<Value, ConfigError> {
    let origin = Some("the config file".to_string());
    let kind = match y {
        Yaml::String(s) => ValueKind::String(s.clone()),
        Yaml::Integer(i) => ValueKind::I64(*i),
        Yaml::Real(_) => ValueKind::Float(y.as_f64().unwrap_or(f64::NAN)),
        Yaml::Boolean(b) => ValueKind::Boolean(*b),
        Yaml::Null => ValueKind::Nil,
        Yaml::Array(items) => ValueKind::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| value(item, &format!("{key}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Hash(hash) => {
            let mut table = Map::new();
            for (k, v) in hash {
                let name = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    _ => return Err(invalid(key, "has a key that is not a name")),
                };
                let path = if key.is_empty() { name.clone() } else { format!("{key}.{name}") };
                table.insert(name, value(v, &path)?);
            }
            ValueKind::Table(table)
        }
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err(invalid(key, "uses a YAML alias; write the value out"));
        }
    };
    Ok(Value::new(origin.as_ref(), kind))
}

fn invalid(key: &str, message: &str) -> ConfigError {
    ConfigError::Invalid { key: key.to_string(), message: message.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let map = parse("a:\n  b: .inf\n  c: [1, -.5, x, null, true]\n").unwrap();
        let ValueKind::Table(a) = &map["a"].kind else { panic!("a table") };
        assert_eq!(a["b"].kind, ValueKind::Float(f64::INFINITY));
        let ValueKind::Array(c) = &a["c"].kind else { panic!("a list") };
        let kinds: Vec<_> = c.iter().map(|v| v.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                ValueKind::I64(1),
                ValueKind::Float(-0.5),
                ValueKind::String("x".into()),
                ValueKind::Nil,
                ValueKind::Boolean(true)
            ]
        );
        assert!(parse("").unwrap().is_empty());
        assert!(parse("# only comments\n").unwrap().is_empty());
        assert!(matches!(parse("- a\n"), Err(ConfigError::Parse(_))));
        assert!(matches!(parse("a: [\n"), Err(ConfigError::Parse(_))));
    }
}
