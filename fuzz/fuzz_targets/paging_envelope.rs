//! Paging envelopes (docs/graph-api.md §3): any body read as a listing page, full and lean, then
//! followed by the paging engine. No panic; a cursor is never empty; lean and full pages agree;
//! the next page asks for between 1 and the full page size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meta_ads_sync::graph::GraphRequest;
use meta_ads_sync::graph::body::{parse_body, parse_body_lean};
use meta_ads_sync::graph::paging::{Listing, ListingLimits, read_page};

const FULL: u32 = 100;

fuzz_target!(|data: &[u8]| {
    let full = parse_body(data).ok().map(read_page);
    let lean = parse_body_lean(data).ok().map(read_page);
    if let (Some(Ok(f)), Some(Ok(l))) = (&full, &lean) {
        assert_eq!((&f.after, f.served_limit, f.data.len()), (&l.after, l.served_limit, l.data.len()));
    }
    let Some(Ok(page)) = full else { return };
    assert!(page.after.as_ref().is_none_or(|a| !a.is_empty()));
    let mut listing = Listing::new(FULL, ListingLimits::default());
    let mut req = GraphRequest::get("act_1/ads").param("limit", FULL.to_string());
    // Follow the same page a few times: the second time its cursor is a cycle.
    for _ in 0..3 {
        match listing.next(&req, page.served_limit, page.after.clone()) {
            Ok(Some(next)) => {
                assert_eq!(next.get_param("after"), page.after.as_deref());
                let limit = next.limit().expect("the next page names its limit");
                assert!((1..=FULL).contains(&limit), "next page asks for {limit} rows");
                req = next;
            }
            Ok(None) => assert!(page.after.is_none()),
            Err(stop) => {
                let _ = stop.to_string();
                break;
            }
        }
    }
});
