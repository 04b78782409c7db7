//! Cursor paging (docs/graph-api.md §3): opaque base64 cursors, `cursors.after` present on every page
//! (also the last), `next` only when more rows may follow, and now and then an empty page
//! that still carries `next`.

use super::errors::ApiError;
use super::hash::{h3, unit};
use super::json::Obj;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A position in a result: `a` and `b` are the coordinates of the next row to serve
/// (object index and bucket for insights, object index for listings); `empty_done` marks a
/// position whose injected empty page has already been served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Cursor {
    pub a: u64,
    pub b: u64,
    pub empty_done: bool,
}

impl Cursor {
    /// Opaque wire form.
    pub(crate) fn encode(self) -> String {
        STANDARD.encode(format!("sim:{}:{}:{}", self.a, self.b, u8::from(self.empty_done)))
    }

    /// Parses a wire cursor.
    pub(crate) fn decode(s: &str) -> Result<Cursor, ApiError> {
        let bad = || ApiError::invalid("The After Cursor specified is invalid");
        let raw = STANDARD.decode(s.trim()).map_err(|_| bad())?;
        let text = String::from_utf8(raw).map_err(|_| bad())?;
        let mut parts = text.strip_prefix("sim:").ok_or_else(bad)?.split(':');
        let mut next = || parts.next().and_then(|p| p.parse::<u64>().ok()).ok_or_else(bad);
        Ok(Cursor { a: next()?, b: next()?, empty_done: next()? == 1 })
    }
}

/// `limit` from the parameters: default 25, at least 1, at most `max`.
pub(crate) fn limit(raw: Option<&str>, max: u32) -> Result<usize, ApiError> {
    match raw {
        None => Ok(25),
        Some(s) => {
            let n: i64 =
                s.trim().parse().map_err(|_| ApiError::invalid("param limit must be an integer."))?;
            Ok(n.clamp(1, max as i64) as usize)
        }
    }
}

/// The `after` cursor of a request, if any.
pub(crate) fn after(raw: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    raw.filter(|s| !s.is_empty()).map(Cursor::decode).transpose()
}

/// Whether the page starting at `after` is served empty (with `next`) this time.
pub(crate) fn inject_empty(seed: u64, rate: f64, path: &str, after: Option<Cursor>) -> bool {
    let Some(c) = after else { return false };
    if c.empty_done || rate <= 0.0 {
        return false;
    }
    let path_hash =
        path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    unit(h3(seed ^ path_hash, c.a, c.b)) < rate
}

/// Writes `"paging":{…}` (the caller has opened the object and adds the key).
pub(crate) fn write(
    o: &mut Obj<'_>,
    before: Cursor,
    after: Cursor,
    next: Option<&str>,
    previous: Option<&str>,
) {
    let out = o.key("paging");
    let mut p = Obj::new(out);
    {
        let out = p.key("cursors");
        let mut c = Obj::new(out);
        c.str("before", &before.encode());
        c.str("after", &after.encode());
        c.end();
    }
    if let Some(prev) = previous {
        p.str("previous", prev);
    }
    if let Some(next) = next {
        p.str("next", next);
    }
    p.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor { a: 12, b: 3, empty_done: true };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert!(Cursor::decode("not-a-cursor").is_err());
        assert_eq!(limit(Some("100000"), 5000).unwrap(), 5000);
    }
}
