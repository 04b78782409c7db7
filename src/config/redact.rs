//! Credentials out of configuration errors: a `postgres://user:password@host/db` or a
//! `https://user:pass@…` base URL is shown as `postgres://***@host/db`.

/// The text with the user-info part (`user:password@`) of every URL in it replaced by `***`.
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | '`') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str("***");
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

/// Whether `url` carries a user name or password.
pub fn has_credentials(url: &str) -> bool {
    redact_urls(url) != url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("postgres://u:hunter2@h:5432/db", "postgres://***@h:5432/db"),
            (
                "got \"https://me:p@ss@graph.facebook.com/v26.0\" here",
                "got \"https://***@graph.facebook.com/v26.0\" here",
            ),
            ("https://graph.facebook.com/v26.0", "https://graph.facebook.com/v26.0"),
            ("a sqlite://x.db and postgres://token@h/db", "a sqlite://x.db and postgres://***@h/db"),
            ("no url", "no url"),
        ];
        for (input, want) in cases {
            assert_eq!(redact_urls(input), want, "{input}");
        }
        assert!(has_credentials("https://u@h/v1.0"));
        assert!(!has_credentials("https://h/v1.0?x=a@b"));
    }
}
