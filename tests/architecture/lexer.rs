//! Just enough of a Rust lexer to find module paths: identifiers, `::`, braces and the few
//! punctuation marks a `use` tree or a `mod` item is made of. Comments, string, byte-string
//! and char literals are dropped (plain strings become one opaque token), so a brace or a path
//! inside them never counts.

/// One token of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// An identifier or keyword (`r#` already removed from raw identifiers).
    Ident(String),
    /// A plain `"…"` string literal, escapes left as written (for `#[path = "…"]`).
    Str(String),
    /// `::`
    PathSep,
    /// `{`
    Open,
    /// `}`
    Close,
    /// Any other single punctuation character (`;`, `,`, `*`, `#`, `$`, `(`, `=`, …).
    Punct(char),
}

/// Splits `src` into tokens.
pub fn tokens(src: &str) -> Vec<Tok> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&chars, i);
        } else if c == '"' {
            let end = skip_quoted(&chars, i + 1, '"');
            let body_end = end.saturating_sub(1).max(i + 1);
            out.push(Tok::Str(chars[i + 1..body_end].iter().collect()));
            i = end;
        } else if c == 'b' && next == Some('"') {
            i = skip_quoted(&chars, i + 2, '"');
        } else if (c == 'r' || (c == 'b' && next == Some('r'))) && raw_string_start(&chars, i) {
            i = skip_raw_string(&chars, i);
        } else if c == 'b' && next == Some('\'') {
            i = skip_quoted(&chars, i + 2, '\'');
        } else if c == '\'' {
            i = skip_char_or_lifetime(&chars, i);
        } else if c == 'r' && next == Some('#') && chars.get(i + 2).is_some_and(|c| is_ident_start(*c)) {
            let (ident, end) = ident_at(&chars, i + 2);
            out.push(Tok::Ident(ident));
            i = end;
        } else if is_ident_start(c) {
            let (ident, end) = ident_at(&chars, i);
            out.push(Tok::Ident(ident));
            i = end;
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            out.push(Tok::PathSep);
            i += 2;
        } else if c == '{' {
            out.push(Tok::Open);
            i += 1;
        } else if c == '}' {
            out.push(Tok::Close);
            i += 1;
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn ident_at(chars: &[char], start: usize) -> (String, usize) {
    let mut end = start;
    while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
        end += 1;
    }
    (chars[start..end].iter().collect(), end)
}

/// Block comments nest in Rust.
fn skip_block_comment(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// From just after the opening quote to just after the closing one, honouring `\` escapes.
fn skip_quoted(chars: &[char], mut i: usize, quote: char) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// `r"`, `r#"`, `br"`, `br#"` … (but not the raw identifier `r#name`).
fn raw_string_start(chars: &[char], i: usize) -> bool {
    let mut j = if chars[i] == 'b' { i + 2 } else { i + 1 };
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return false;
    }
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

fn skip_raw_string(chars: &[char], i: usize) -> usize {
    let mut j = if chars[i] == 'b' { i + 2 } else { i + 1 };
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// `'a'`, `'\n'`, `'\u{7b}'` are char literals; `'a` (no closing quote) is a lifetime or label.
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    match chars.get(i + 1) {
        Some('\\') => skip_quoted(chars, i + 1, '\''),
        Some(_) if chars.get(i + 2) == Some(&'\'') => i + 3,
        _ => i + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::{Tok, tokens};

    fn idents(src: &str) -> Vec<String> {
        tokens(src)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Ident(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn literals_and_comments_hide_their_contents() {
        let src = r###"
            // use crate::alpha;
            /* use crate::beta; /* nested */ still comment */
            let s = "use crate::gamma; {";
            let r = r#"use crate::delta; "{" "#;
            let c = '{';
            let e = '\'';
            fn f<'a>(x: &'a str) -> &'a str { x }
            use crate::real;
        "###;
        let ids = idents(src);
        for hidden in ["alpha", "beta", "gamma", "delta"] {
            assert!(!ids.contains(&hidden.to_string()), "{hidden} leaked: {ids:?}");
        }
        assert!(ids.contains(&"real".to_string()));
        let toks = tokens(src);
        let opens = toks.iter().filter(|t| **t == Tok::Open).count();
        let closes = toks.iter().filter(|t| **t == Tok::Close).count();
        assert_eq!((opens, closes), (1, 1), "only the fn body's braces count");
    }
}
