//! The one paging engine (docs/graph-api.md §3), used by [`GraphClient::pages`] (one listing,
//! one request at a time) and by the sync engine's batched pager (many listings sharing Graph
//! batches). A listing ends when `next` is absent — not on an empty page, which Meta sends with
//! a `next` — and [`Listing`] stops it, with a [`ListingStop`], when a cursor comes back (one
//! that does not advance, or a cycle A→B→C→A), after a cap of pages, or once a deadline passed.
//! After a "please reduce the amount of data" shrink it grows the page back ([`Growth`]).

use std::collections::HashSet;
use std::time::Instant;

use futures_util::Stream;
use futures_util::stream;
use serde_json::Value;

use super::classify::Context;
use super::client::GraphClient;
use super::error::GraphError;
use super::request::GraphRequest;

/// Pages one listing may take by default before it is stopped as endless.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// Rules every listing follows besides `next`: a cap of pages and an optional deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingLimits {
    /// Pages after which a listing that still has a `next` is stopped.
    pub max_pages: u64,
    /// No page is sent after this instant (the pass deadline of a sync).
    pub deadline: Option<Instant>,
}

impl Default for ListingLimits {
    fn default() -> Self {
        Self { max_pages: DEFAULT_MAX_PAGES, deadline: None }
    }
}

/// Why a listing stopped before its last page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListingStop {
    /// A cursor came back: the server would serve the same pages again.
    #[error("paging cursor {cursor:?} came back after {pages} pages (the listing loops)")]
    Cycle {
        /// The cursor seen before.
        cursor: String,
        /// Pages read.
        pages: u64,
    },
    /// The listing still had a `next` after the page cap.
    #[error("still more pages after {pages} pages, the cap per listing (sync.max_pages_per_listing)")]
    PageCap {
        /// Pages read (the cap).
        pages: u64,
    },
    /// The deadline passed before the next page could be sent.
    #[error("the pass deadline passed after {pages} pages, before the listing finished")]
    Deadline {
        /// Pages read.
        pages: u64,
    },
}

/// The state of one listing between its pages: the cursors it followed, its page count and its
/// page size. Pure: the caller sends the requests and says what time it is.
#[derive(Debug, Clone)]
pub struct Listing {
    limits: ListingLimits,
    seen: HashSet<String>,
    pages: u64,
    growth: Growth,
}

impl Listing {
    /// A listing whose pages hold `full_limit` rows when nothing asks for less.
    pub fn new(full_limit: u32, limits: ListingLimits) -> Self {
        Self { limits, seen: HashSet::new(), pages: 0, growth: Growth::new(full_limit.max(1)) }
    }

    /// Pages read so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Whether the next page may be sent at `now`.
    pub fn check_send(&self, now: Instant) -> Result<(), ListingStop> {
        match self.limits.deadline {
            Some(deadline) if now >= deadline => Err(ListingStop::Deadline { pages: self.pages }),
            _ => Ok(()),
        }
    }

    /// A page of `asked` came back with `after` (`None`: it was the last page), served with
    /// `served` rows per page when the server says so (smaller than asked after a "reduce the
    /// amount of data"). Returns the request of the next page, or `None` when complete.
    pub fn next(
        &mut self,
        asked: &GraphRequest,
        served: Option<u32>,
        after: Option<String>,
    ) -> Result<Option<GraphRequest>, ListingStop> {
        self.pages += 1;
        let Some(after) = after else { return Ok(None) };
        if self.seen.contains(&after) {
            return Err(ListingStop::Cycle { cursor: after, pages: self.pages });
        }
        if self.pages >= self.limits.max_pages {
            return Err(ListingStop::PageCap { pages: self.pages });
        }
        let asked_limit = asked.limit().unwrap_or(self.growth.full).max(1);
        // The served size only ever shrinks a page: a `next` link saying `limit=0` (a page size
        // stuck at nothing) or more than was asked (past `meta.page_size`) is not taken.
        let served = served.unwrap_or(asked_limit).clamp(1, asked_limit);
        let limit = self.growth.next(asked_limit, served);
        self.seen.insert(after.clone());
        // The next request is built from `cursors.after`, never by following the absolute `next`
        // URL: that URL names Meta's host and version (not the configured base URL — the
        // simulator, a proxy, a pinned version) and, as Meta returns it, can embed the access
        // token in its query string; following it would put the token in a URL and drop the
        // appsecret_proof signing.
        let mut req = asked.clone();
        req.set_param("after", Some(after));
        req.set_param("limit", Some(limit.to_string()));
        Ok(Some(req))
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
    /// Each page is its own operation (own retries, own deadline). The listing follows
    /// [`Listing`]'s rules with the default [`ListingLimits`]; a stop is a
    /// [`GraphError::Protocol`] naming the path.
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
        let listing = Listing::new(full_limit, ListingLimits::default());
        Box::pin(stream::unfold(Some((req, listing)), move |state| {
            let client = client.clone();
            async move {
                let (req, mut listing) = state?;
                let stop = |path: &str, stop: ListingStop| GraphError::Protocol {
                    path: path.to_string(),
                    detail: stop.to_string(),
                };
                if let Err(s) = listing.check_send(Instant::now()) {
                    return Some((Err(stop(&req.path, s)), None));
                }
                let (body, sent) = match client.execute(req.clone(), ctx).await {
                    Ok(ok) => ok,
                    Err(e) => return Some((Err(e), None)),
                };
                let path = sent.relative_path().to_string();
                let page = match read_page(body) {
                    Ok(page) => page,
                    Err(detail) => return Some((Err(GraphError::Protocol { path, detail }), None)),
                };
                match listing.next(&req, sent.limit(), page.after) {
                    Ok(Some(next)) => Some((Ok(page.data), Some((next, listing)))),
                    Ok(None) => Some((Ok(page.data), None)),
                    Err(s) => Some((Err(stop(&path, s)), None)),
                }
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
/// exists, even on the last page (docs/graph-api.md §3), so only `next` says whether there is more.
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
    use std::time::Duration;

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

    fn listing_req() -> GraphRequest {
        GraphRequest::get("act_1/campaigns").param("limit", "100")
    }

    /// Feeds `cursors` as the `after` of successive pages; returns where the listing stopped.
    fn follow(listing: &mut Listing, cursors: &[&str]) -> Result<u64, ListingStop> {
        let mut req = listing_req();
        for c in cursors {
            match listing.next(&req, None, Some(c.to_string()))? {
                Some(next) => req = next,
                None => unreachable!("a cursor always leads to a next page"),
            }
        }
        Ok(listing.pages())
    }

    #[test]
    fn cursor_that_does_not_advance_stops_the_listing() {
        let mut l = Listing::new(100, ListingLimits::default());
        assert_eq!(follow(&mut l, &["A", "B"]), Ok(2));
        assert_eq!(
            follow(&mut l, &["B"]),
            Err(ListingStop::Cycle { cursor: "B".into(), pages: 3 }),
            "a cursor that does not advance"
        );
        let mut l = Listing::new(100, ListingLimits::default());
        assert_eq!(
            follow(&mut l, &["A", "B", "C", "A"]),
            Err(ListingStop::Cycle { cursor: "A".into(), pages: 4 }),
            "a cycle A→B→C→A is caught too"
        );
    }

    #[test]
    fn page_cap_and_deadline_stop_a_listing() {
        let limits = ListingLimits { max_pages: 3, deadline: None };
        let mut l = Listing::new(100, limits);
        assert_eq!(follow(&mut l, &["1", "2", "3"]), Err(ListingStop::PageCap { pages: 3 }));
        let mut l = Listing::new(100, limits);
        assert_eq!(follow(&mut l, &["1", "2"]), Ok(2));
        assert_eq!(l.next(&listing_req(), None, None), Ok(None), "the last page within the cap");

        let start = Instant::now();
        let deadline = start + Duration::from_secs(60);
        let l = Listing::new(100, ListingLimits { deadline: Some(deadline), ..limits });
        assert_eq!(l.check_send(start), Ok(()));
        assert_eq!(l.check_send(deadline), Err(ListingStop::Deadline { pages: 0 }));
    }

    #[test]
    fn next_page_keeps_the_request_and_grows_the_limit_back() {
        let mut l = Listing::new(100, ListingLimits::default());
        let asked = listing_req().param("fields", "id");
        let next = l.next(&asked, Some(50), Some("A".into())).unwrap().unwrap();
        assert_eq!((next.get_param("after"), next.get_param("limit")), (Some("A"), Some("50")));
        assert_eq!(next.get_param("fields"), Some("id"));
        let next = l.next(&next, None, Some("B".into())).unwrap().unwrap();
        assert_eq!(next.get_param("limit"), Some("100"), "one good page at 50, then full again");
    }

    #[test]
    fn served_limit_of_zero_or_above_the_ask_is_not_taken() {
        // The paging_envelope fuzz target checks this: `limit=0` in a `next` link made every later
        // page ask for 0 rows, and a larger `limit` grew the page past the configured size.
        let mut l = Listing::new(100, ListingLimits::default());
        let next = l.next(&listing_req(), Some(0), Some("A".into())).unwrap().unwrap();
        assert_eq!(next.get_param("limit"), Some("1"));
        let next = l.next(&next, None, Some("B".into())).unwrap().unwrap();
        assert_eq!(next.get_param("limit"), Some("2"), "and it grows back from there");
        let mut l = Listing::new(100, ListingLimits::default());
        let next = l.next(&listing_req(), Some(5000), Some("A".into())).unwrap().unwrap();
        assert_eq!(next.get_param("limit"), Some("100"));
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
