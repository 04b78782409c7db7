//! Redaction, so a password never reaches a log or an error.

/// `url` with the password of its userinfo and any `password=` parameter replaced by `***`.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some((scheme, rest)) = url.split_once("://") {
        let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..auth_end];
        if let Some((userinfo, host)) = authority.rsplit_once('@')
            && let Some((user, _password)) = userinfo.split_once(':')
        {
            out = format!("{scheme}://{user}:***@{host}{}", &rest[auth_end..]);
        }
    }
    redact_text(&out)
}

/// `text` with the value of every `password=` key (URL query or libpq keyword form) hidden.
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.to_ascii_lowercase().find("password=") {
        let value_start = i + "password=".len();
        out.push_str(&rest[..value_start]);
        out.push_str("***");
        let tail = &rest[value_start..];
        let end = tail.find(['&', ' ', '\t', '\n', '\'', '"']).unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_passwords_in_every_form() {
        assert_eq!(redact("postgres://u:p@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db?password=p&x=1"), "postgres://u@h/db?password=***&x=1");
        assert_eq!(redact_text("host=h password=p user=u"), "host=h password=*** user=u");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
