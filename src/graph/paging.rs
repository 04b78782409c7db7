//! Cursor paging as a stream (facts §3): one item per page, stopping when `next` is absent — not
//! on an empty page, which Meta sends with a `next` — and failing when a cursor does not advance.

use std::collections::HashSet;

use futures_util::Stream;
use futures_util::stream;
use serde_json::Value;

use super::classify::Context;
use super::client::GraphClient;
use super::error::GraphError;
use super::request::GraphRequest;

struct PageState {
    req: GraphRequest,
    growth: Growth,
    cursors: CursorGuard,
    ctx: Context,
}

/// The loop guard of a listing: every `after` cursor it has followed. A cursor seen before means
/// the server would serve the same pages again (a cursor that does not advance, or a cycle).
#[derive(Debug, Default)]
pub struct CursorGuard {
    seen: HashSet<String>,
}

impl CursorGuard {
    /// Accept the next `after` cursor, or say why the listing cannot go on.
    pub fn advance(&mut self, after: &str) -> Result<(), String> {
        if self.seen.insert(after.to_string()) {
            Ok(())
        } else {
            Err(format!("paging cursor did not advance after {} pages", self.seen.len() + 1))
        }
    }
}

/// Growing the page size back after a "reduce the amount of data" shrink. Try the doubled size
/// after `grow_after` good pages; each time a growth attempt has to shrink again, wait twice as
/// many pages before the next one. A one-off dense page costs one extra request; a listing whose
/// rows are simply too wide for the full size costs only about log2(pages) extra requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Growth {
    /// The configured (or asked-for) page size.
    pub full: u32,
    /// Good pages needed before trying a larger size.
    pub grow_after: u32,
    /// Good pages since the last change.
    pub streak: u32,
    /// The current page is a growth attempt.
    pub trying: bool,
}

impl Growth {
    /// Start at `full`.
    pub fn new(full: u32) -> Self {
        Self { full, grow_after: 1, streak: 0, trying: false }
    }

    /// A page asked with `asked` succeeded with `sent` (smaller if it was shrunk on the way);
    /// returns the size to ask for next.
    pub fn next(&mut self, asked: u32, sent: u32) -> u32 {
        if sent < asked {
            if self.trying {
                self.grow_after = (self.grow_after * 2).min(1024);
            }
            self.streak = 0;
        } else {
            self.streak += 1;
        }
        self.trying = false;
        if sent < self.full && self.streak >= self.grow_after {
            self.streak = 0;
            self.trying = true;
            return sent.saturating_mul(2).min(self.full);
        }
        sent
    }
}

impl GraphClient {
    /// All pages of a listing, each as the `data` array. `limit` defaults to `meta.page_size`.
    /// Each page is its own operation (own retries, own deadline). After a "too much data"
    /// shrink the page size doubles back after every successful page.
    pub fn pages(
        &self,
        req: GraphRequest,
    ) -> impl Stream<Item = Result<Vec<Value>, GraphError>> + Send + Unpin + 'static {
        self.pages_with(req, Context::default())
    }

    pub(crate) fn pages_with(
        &self,
        mut req: GraphRequest,
        ctx: Context,
    ) -> impl Stream<Item = Result<Vec<Value>, GraphError>> + Send + Unpin + 'static {
        let full_limit = req.limit().unwrap_or(self.inner.page_size).max(1);
        req.set_param("limit", Some(full_limit.to_string()));
        req.set_param("after", None);
        let client = self.clone();
        let start = PageState { req, growth: Growth::new(full_limit), cursors: CursorGuard::default(), ctx };
        Box::pin(stream::unfold(Some(start), move |state| {
            let client = client.clone();
            async move {
                let mut st = state?;
                let (body, sent) = match client.execute(st.req.clone(), st.ctx).await {
                    Ok(ok) => ok,
                    Err(e) => return Some((Err(e), None)),
                };
                let path = sent.relative_path().to_string();
                let page = match read_page(body) {
                    Ok(page) => page,
                    Err(detail) => return Some((Err(GraphError::Protocol { path, detail }), None)),
                };
                let Some(after) = page.after else {
                    return Some((Ok(page.data), None));
                };
                if let Err(detail) = st.cursors.advance(&after) {
                    return Some((Err(GraphError::Protocol { path, detail }), None));
                }
                // Build the next request ourselves from `cursors.after` instead of following the
                // absolute `next` URL: that URL names Meta's host and version (not our configured
                // base URL — the simulator, a proxy, a pinned version) and, as Meta returns it, can
                // embed the access_token in its query string; following it would put the token in a
                // URL and drop our appsecret_proof/appsecret_time signing.
                let asked = st.req.limit().unwrap_or(st.growth.full);
                let grown = st.growth.next(asked, sent.limit().unwrap_or(asked));
                st.req = sent;
                st.req.set_param("limit", Some(grown.to_string()));
                st.req.set_param("after", Some(after));
                Some((Ok(page.data), Some(st)))
            }
        }))
    }
}

/// One page: its rows and the cursor of the next page (`None`: this was the last page).
#[derive(Debug, PartialEq)]
pub struct Page {
    /// The `data` array.
    pub data: Vec<Value>,
    /// `paging.cursors.after` when `paging.next` is present.
    pub after: Option<String>,
    /// The `limit` the `next` link carries: the page size that was actually served, which
    /// may be smaller than asked after a "please reduce the amount of data".
    pub served_limit: Option<u32>,
}

/// Read `{"data":[...],"paging":{"cursors":{"after":..},"next":..}}`. The `after` cursor always
/// exists, even on the last page (facts §3), so only `next` says whether there is more.
pub fn read_page(mut body: Value) -> Result<Page, String> {
    // Moved out, never copied: insights pages hold thousands of rows.
    let data = match body.as_object_mut().and_then(|o| o.remove("data")) {
        Some(Value::Array(rows)) => rows,
        Some(_) => return Err("`data` is not an array".into()),
        None => return Err("listing answer without `data`".into()),
    };
    let paging = body.get("paging");
    let next = paging.and_then(|p| p.get("next")).and_then(Value::as_str).filter(|n| !n.is_empty());
    let Some(next) = next else {
        return Ok(Page { data, after: None, served_limit: None });
    };
    let cursor = paging
        .and_then(|p| p.pointer("/cursors/after"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| query_param(next, "after"));
    let served_limit = query_param(next, "limit").and_then(|l| l.parse().ok());
    match cursor {
        Some(after) if !after.is_empty() => Ok(Page { data, after: Some(after), served_limit }),
        _ => Err("`next` present but no `after` cursor".into()),
    }
}

/// The `after` query parameter of a `next` URL (fallback when `cursors.after` is missing).
fn query_param(next: &str, key: &str) -> Option<String> {
    let url = reqwest::Url::parse(next).ok()?;
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn page_size_grows_back_and_backs_off_from_failed_growth() {
        let mut g = Growth::new(100);
        assert_eq!(g.next(100, 100), 100, "no shrink, stays full");
        // A one-off dense page: shrunk to 50, one good page, then full again.
        assert_eq!(g.next(100, 50), 50);
        assert_eq!(g.next(50, 50), 100);
        assert_eq!(g.next(100, 100), 100);
        // Rows too wide for 100: every failed growth doubles the pages before the next try.
        let mut g = Growth::new(100);
        let mut asked = 100;
        let mut tries = 0;
        for _ in 0..40 {
            let sent = asked.min(50);
            if asked > 50 {
                tries += 1;
            }
            asked = g.next(asked, sent);
        }
        assert!(tries <= 7, "{tries} growth attempts in 40 pages");
    }

    #[test]
    fn cursor_that_does_not_advance_stops_the_listing() {
        let mut g = CursorGuard::default();
        assert!(g.advance("A").is_ok());
        assert!(g.advance("B").is_ok());
        assert_eq!(g.advance("B"), Err("paging cursor did not advance after 3 pages".to_string()));
        assert!(g.advance("A").is_err(), "a cycle is caught too");
    }

    #[test]
    fn next_decides_not_emptiness() {
        let empty_with_next =
            json!({"data":[],"paging":{"cursors":{"before":"a","after":"b"},"next":"https://x/y?after=b"}});
        assert_eq!(
            read_page(empty_with_next),
            Ok(Page { data: vec![], after: Some("b".into()), served_limit: None })
        );
        let last = json!({"data":[{"id":"1"}],"paging":{"cursors":{"before":"MAZDZD","after":"MAZDZD"}}});
        assert_eq!(
            read_page(last),
            Ok(Page { data: vec![json!({"id":"1"})], after: None, served_limit: None })
        );
        let no_paging = json!({"data":[]});
        assert_eq!(read_page(no_paging).unwrap().after, None);
    }

    #[test]
    fn cursor_from_next_url_and_protocol_errors() {
        let only_next = json!({"data":[],"paging":{"next":"https://graph.facebook.com/v25.0/act_1/ads?limit=2&after=QVFI%3D"}});
        assert_eq!(read_page(only_next).unwrap().after.as_deref(), Some("QVFI="));
        assert!(read_page(json!({"data":[],"paging":{"next":"https://x/y"}})).is_err());
        assert!(read_page(json!({"id":"1"})).is_err());
        assert!(read_page(json!({"data":{}})).is_err());
    }
}
