//! A minimal JSON writer into a `String`: insights pages are written straight into one buffer
//! instead of building `serde_json::Value` trees (the simulator must never be a benchmark's
//! bottleneck).

use std::fmt::Write;

/// Appends `s` as a JSON string literal.
pub(crate) fn string(out: &mut String, s: &str) {
    out.push('"');
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out.push('"');
}

/// Builds one JSON object field by field.
pub(crate) struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    /// Opens an object.
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, first: true }
    }

    /// Writes the key and returns the buffer for the raw value.
    pub(crate) fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        string(self.out, k);
        self.out.push(':');
        self.out
    }

    /// A string field.
    pub(crate) fn str(&mut self, k: &str, v: &str) {
        let out = self.key(k);
        string(out, v);
    }

    /// A field with a raw (already JSON) value.
    pub(crate) fn raw(&mut self, k: &str, v: &str) {
        self.key(k).push_str(v);
    }

    /// A field holding an unsigned integer.
    pub(crate) fn uint(&mut self, k: &str, v: u64) {
        let _ = write!(self.key(k), "{v}");
    }

    /// A string field holding an unsigned integer (Meta sends most numbers as strings).
    pub(crate) fn uint_str(&mut self, k: &str, v: u64) {
        let _ = write!(self.key(k), "\"{v}\"");
    }

    /// Closes the object.
    pub(crate) fn end(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_control_and_quote_characters() {
        let mut s = String::new();
        super::string(&mut s, "a\"b\\c\n\u{1}é");
        assert_eq!(s, r#""a\"b\\c\n\u0001é""#);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v, "a\"b\\c\n\u{1}é");
    }
}
