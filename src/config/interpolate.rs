//! `${VAR}` and `${VAR:-default}` in configuration values, as in the spec's
//! `app_id: "${META_APP_ID}"`. Substitution happens on the parsed values, never on the YAML
//! text: a variable's value is used exactly as given (trimmed of surrounding white space, so a
//! secret file's trailing newline does not end up in a header), even when it holds a quote,
//! `: `, `#` or a backslash. Pure: the environment is passed in as a lookup function.

use std::collections::BTreeMap;

use config::{Value, ValueKind};

/// Why a configuration value could not be interpolated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InterpolateError {
    /// `${` without a closing `}`.
    #[error("`${{` is not closed; write `${{VAR}}` or escape a literal dollar as `$$`")]
    Unclosed,
    /// A name that is not a valid environment variable name.
    #[error("`${{{0}}}` is not a valid variable name (letters, digits and `_`)")]
    BadName(String),
}

/// A value after substitution, and the variables it took text from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpolated {
    /// The text with every `${…}` replaced.
    pub text: String,
    /// Names of the variables that were set and used, in order.
    pub vars: Vec<String>,
}

/// Replaces every `${VAR}` with `lookup(VAR)` trimmed (empty when unset) and every
/// `${VAR:-dflt}` with that, or `dflt` when unset or blank. `$$` is a literal `$`.
pub fn interpolate(
    text: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Interpolated, InterpolateError> {
    let mut out = Interpolated { text: String::with_capacity(text.len()), vars: Vec::new() };
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.text.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.text.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body.find('}').ok_or(InterpolateError::Unclosed)?;
            let expr = &body[..end];
            let (name, default) = match expr.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (expr, None),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(InterpolateError::BadName(expr.to_string()));
            }
            let value = lookup(name).map(|v| v.trim().to_string());
            match value.filter(|v| !v.is_empty() || default.is_none()) {
                Some(v) => {
                    out.text.push_str(&v);
                    if !v.is_empty() {
                        out.vars.push(name.to_string());
                    }
                }
                None => out.text.push_str(default.unwrap_or_default()),
            }
            rest = &body[end + 1..];
        } else {
            out.text.push('$');
            rest = after;
        }
    }
    out.text.push_str(rest);
    Ok(out)
}

/// Interpolates every string in a parsed tree in place. Returns, by dotted key, the variables
/// each value took text from; an error names the key.
pub fn interpolate_tree(
    root: &mut config::Map<String, Value>,
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<BTreeMap<String, Vec<String>>, (String, InterpolateError)> {
    let mut used = BTreeMap::new();
    for (key, value) in root.iter_mut() {
        walk(value, key.clone(), lookup, &mut used)?;
    }
    Ok(used)
}

fn walk(
    value: &mut Value,
    key: String,
    lookup: &impl Fn(&str) -> Option<String>,
    used: &mut BTreeMap<String, Vec<String>>,
) -> Result<(), (String, InterpolateError)> {
    match &mut value.kind {
        ValueKind::String(s) if s.contains('$') => {
            let done = interpolate(s, lookup).map_err(|e| (key.clone(), e))?;
            *s = done.text;
            if !done.vars.is_empty() {
                used.insert(key, done.vars);
            }
        }
        ValueKind::Table(table) => {
            for (k, v) in table.iter_mut() {
                walk(v, format!("{key}.{k}"), lookup, used)?;
            }
        }
        ValueKind::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(v, format!("{key}[{i}]"), lookup, used)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "SET" => Some("value".into()),
            "EMPTY" => Some(String::new()),
            "PADDED" => Some("  tok\n".into()),
            "YAMLISH" => Some("a\"b: c #d \\x41 ${SET}".into()),
            _ => None,
        }
    }

    #[test]
    fn table() {
        let cases = [
            ("${SET}", "value"),
            ("${SET}-x", "value-x"),
            ("${UNSET}", ""),
            ("${UNSET:-dflt}", "dflt"),
            ("${EMPTY:-dflt}", "dflt"),
            ("${SET:-dflt}", "value"),
            ("$$HOME", "$HOME"),
            ("cost $5", "cost $5"),
            ("${PADDED}", "tok"),
            // A value is never interpolated again nor read as YAML.
            ("${YAMLISH}", "a\"b: c #d \\x41 ${SET}"),
        ];
        for (input, want) in cases {
            assert_eq!(interpolate(input, env).unwrap().text, want, "input {input:?}");
        }
        assert_eq!(interpolate("${SET}${UNSET}${PADDED}", env).unwrap().vars, ["SET", "PADDED"]);
    }

    #[test]
    fn errors() {
        assert_eq!(interpolate("${OOPS", env), Err(InterpolateError::Unclosed));
        assert_eq!(interpolate("${BAD NAME}", env), Err(InterpolateError::BadName("BAD NAME".into())));
    }

    #[test]
    fn tree_keys() {
        let yaml = "meta:\n  access_token: \"${PADDED}\"\n  list: [\"${SET}\", x]\n# ${NOT} a value\n";
        let mut map =
            config::Source::collect(&config::File::from_str(yaml, config::FileFormat::Yaml)).unwrap();
        let used = interpolate_tree(&mut map, &env).unwrap();
        assert_eq!(used.get("meta.access_token").unwrap(), &["PADDED"]);
        assert_eq!(used.get("meta.list[0]").unwrap(), &["SET"]);
        let bad = "sync:\n  accounts: [\"${OOPS\"]\n";
        let mut map =
            config::Source::collect(&config::File::from_str(bad, config::FileFormat::Yaml)).unwrap();
        assert_eq!(
            interpolate_tree(&mut map, &env).unwrap_err(),
            ("sync.accounts[0]".to_string(), InterpolateError::Unclosed)
        );
    }
}
