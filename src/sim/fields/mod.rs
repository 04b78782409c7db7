//! The `fields=` selection: a comma list where an entry may carry sub-fields in braces,
//! e.g. `id,name,creative{id,name},business{id}`, or the same entries as a JSON array
//! (`["impressions","spend"]`, what the SDK sends for async insights jobs); and, in
//! [`known`], which names each node type has.

pub(crate) mod known;

use super::errors::ApiError;

/// One requested field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: String,
    pub sub: Vec<Field>,
}

/// Parses a `fields` value in either form; empty entries are ignored.
pub(crate) fn parse(s: &str) -> Result<Vec<Field>, ApiError> {
    let mut out = Vec::new();
    for entry in super::params::list(s, "fields")? {
        out.extend(parse_commas(&entry)?);
    }
    Ok(out)
}

/// Parses the comma form.
fn parse_commas(s: &str) -> Result<Vec<Field>, ApiError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    parse_list(&mut chars, &mut out, 0)?;
    Ok(out)
}

fn parse_list(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut Vec<Field>,
    depth: usize,
) -> Result<(), ApiError> {
    let mut name = String::new();
    while let Some(c) = chars.next() {
        match c {
            ',' => push(out, &mut name, Vec::new()),
            '{' => {
                let mut sub = Vec::new();
                parse_list(chars, &mut sub, depth + 1)?;
                push(out, &mut name, sub);
                if chars.peek() == Some(&',') {
                    chars.next();
                }
            }
            '}' if depth > 0 => {
                push(out, &mut name, Vec::new());
                return Ok(());
            }
            '}' => return Err(ApiError::invalid("Syntax error: unbalanced '}' in fields")),
            c if c.is_whitespace() => {}
            c => name.push(c),
        }
    }
    if depth > 0 {
        return Err(ApiError::invalid("Syntax error: expected '}' in fields"));
    }
    push(out, &mut name, Vec::new());
    Ok(())
}

fn push(out: &mut Vec<Field>, name: &mut String, sub: Vec<Field>) {
    if !name.is_empty() {
        out.push(Field { name: std::mem::take(name), sub });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_fields() {
        let f = parse("id, name,creative{id,name},business{id}").unwrap();
        let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["id", "name", "creative", "business"]);
        assert_eq!(f[2].sub.len(), 2);
        assert!(parse("a{b").is_err());
        assert_eq!(parse(r#"["id", "creative{id,name}"]"#).unwrap(), parse("id,creative{id,name}").unwrap());
    }
}
