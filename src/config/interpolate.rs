//! `${VAR}` and `${VAR:-default}` interpolation inside configuration values, as in the spec's
//! `app_id: "${META_APP_ID}"`. Pure: the environment is passed in as a lookup function.

/// Why a configuration text could not be interpolated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InterpolateError {
    /// `${` without a closing `}`.
    #[error("line {line}: `${{` is not closed; write `${{VAR}}` or escape a literal dollar as `$$`")]
    Unclosed {
        /// 1-based line number.
        line: usize,
    },
    /// A name that is not a valid environment variable name.
    #[error("line {line}: `${{{name}}}` is not a valid variable name (letters, digits and `_`)")]
    BadName {
        /// 1-based line number.
        line: usize,
        /// The text between the braces.
        name: String,
    },
}

/// Replaces every `${VAR}` with `lookup(VAR)` (empty when unset) and every `${VAR:-dflt}` with the
/// value or `dflt` when unset or empty. `$$` is a literal `$`. Comment lines are left alone.
pub fn interpolate(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, InterpolateError> {
    let mut out = String::with_capacity(text.len());
    for (idx, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_start().starts_with('#') {
            out.push_str(line);
            continue;
        }
        interpolate_line(line, idx + 1, &lookup, &mut out)?;
    }
    Ok(out)
}

fn interpolate_line(
    line: &str,
    line_no: usize,
    lookup: &impl Fn(&str) -> Option<String>,
    out: &mut String,
) -> Result<(), InterpolateError> {
    let mut rest = line;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body.find('}').ok_or(InterpolateError::Unclosed { line: line_no })?;
            let expr = &body[..end];
            let (name, default) = match expr.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (expr, None),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(InterpolateError::BadName { line: line_no, name: expr.to_string() });
            }
            let value = lookup(name).filter(|v| !v.is_empty() || default.is_none());
            out.push_str(&value.unwrap_or_else(|| default.unwrap_or_default().to_string()));
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "SET" => Some("value".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn table() {
        let cases = [
            ("a: ${SET}", "a: value"),
            ("a: \"${SET}-x\"", "a: \"value-x\""),
            ("a: ${UNSET}", "a: "),
            ("a: ${UNSET:-dflt}", "a: dflt"),
            ("a: ${EMPTY:-dflt}", "a: dflt"),
            ("a: ${SET:-dflt}", "a: value"),
            ("a: $$HOME", "a: $HOME"),
            ("a: cost $5", "a: cost $5"),
            ("# ${NOT} touched", "# ${NOT} touched"),
        ];
        for (input, want) in cases {
            assert_eq!(interpolate(input, env).unwrap(), want, "input {input:?}");
        }
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(interpolate("a: 1\nb: ${OOPS", env), Err(InterpolateError::Unclosed { line: 2 }));
        assert_eq!(
            interpolate("b: ${BAD NAME}", env),
            Err(InterpolateError::BadName { line: 1, name: "BAD NAME".into() })
        );
    }
}
