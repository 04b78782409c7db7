//! List-valued parameters in both forms Graph accepts: a comma list (`impressions,spend`) or
//! a JSON array (`["impressions","spend"]`, what the SDK sends since it JSON-encodes every
//! list parameter, docs/graph-api.md §5.2). Both give the same entries.

use super::errors::ApiError;
use serde_json::Value;

/// Entries of a list parameter `name`. Commas inside braces (`creative{id,name}`) do not
/// split; blank entries are dropped.
pub(crate) fn list(raw: &str, name: &str) -> Result<Vec<String>, ApiError> {
    let t = raw.trim();
    if t.starts_with('[') {
        let bad = || ApiError::invalid(&format!("param {name} must be an array."));
        let Value::Array(items) = serde_json::from_str::<Value>(t).map_err(|_| bad())? else {
            return Err(bad());
        };
        return items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.trim().to_string()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(bad()),
            })
            .filter(|s| !matches!(s, Ok(s) if s.is_empty()))
            .collect();
    }
    let mut out = Vec::new();
    let (mut depth, mut cur) = (0usize, String::new());
    for c in t.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    Ok(out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
}

/// Entries of an optional list parameter (absent = empty).
pub(crate) fn list_opt(raw: Option<&str>, name: &str) -> Result<Vec<String>, ApiError> {
    raw.map_or(Ok(Vec::new()), |r| list(r, name))
}

/// Whether a boolean parameter is set (`true` or `1`; the SDK sends `true`).
pub(crate) fn flag(raw: Option<&str>) -> bool {
    raw.is_some_and(|s| matches!(s.trim(), "true" | "1"))
}

/// Refuses `value` unless it is among `allowed`, with Graph's enum message
/// (`(#100) breakdowns[0] must be one of the following values: …`).
pub(crate) fn check_enum(name: &str, i: usize, value: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(ApiError::invalid(&format!(
        "{name}[{i}] must be one of the following values: {}",
        allowed.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_and_json_forms_agree() {
        let want = vec!["a".to_string(), "b{c,d}".to_string(), "e".to_string()];
        assert_eq!(list("a, b{c,d},e,", "x").unwrap(), want);
        assert_eq!(list(r#"["a","b{c,d}"," e"]"#, "x").unwrap(), want);
        assert!(list("[1,", "x").is_err());
        assert!(list(r#"[{"a":1}]"#, "x").is_err());
        assert_eq!(list("[]", "x").unwrap(), Vec::<String>::new());
    }
}
