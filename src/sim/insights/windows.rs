//! Attribution windows of action stats (docs/graph-api.md §5.1, §5.2, §9): with
//! `action_attribution_windows`, every `AdsActionStats` element carries one key per
//! requested window next to `value`. Each ad-day splits its conversions deterministically
//! (a hash of seed, ad, day and restatement epoch), and rows add the splits up, so a level
//! or a longer bucket is the exact sum of its parts.
//!
//! `value` stays the default attribution (7-day click plus 1-day view), so
//! `7d_click + 1d_view = value`, `1d_click <= 7d_click <= 28d_click` and
//! `1d_ev <= 1d_view`.

use crate::sim::errors::ApiError;
use crate::sim::fields::known::{self, List};
use crate::sim::params;

/// A window the simulator computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// `1d_click`.
    Click1d,
    /// `7d_click`.
    Click7d,
    /// `28d_click`.
    Click28d,
    /// `1d_view`.
    View1d,
    /// `1d_ev` (engaged view).
    Ev1d,
}

impl Window {
    /// Wire key.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Window::Click1d => "1d_click",
            Window::Click7d => "7d_click",
            Window::Click28d => "28d_click",
            Window::View1d => "1d_view",
            Window::Ev1d => "1d_ev",
        }
    }

    fn of(name: &str) -> Option<Window> {
        Some(match name {
            "1d_click" => Window::Click1d,
            "7d_click" => Window::Click7d,
            "28d_click" => Window::Click28d,
            "1d_view" => Window::View1d,
            "1d_ev" => Window::Ev1d,
            _ => return None,
        })
    }
}

/// Parses `action_attribution_windows`: every value of the SDK's enum is accepted; the
/// computed ones are returned in request order. `default` adds nothing (it is `value`);
/// `7d_view` and `28d_view` are no longer returned since 2026-01-12 (docs/graph-api.md §9);
/// the other enum values (dda, skan, incrementality, …) are accepted and not served.
pub(crate) fn parse(raw: Option<&str>) -> Result<Vec<Window>, ApiError> {
    let allowed = known::names(List::AttributionWindows);
    let mut out = Vec::new();
    for (i, name) in params::list_opt(raw, "action_attribution_windows")?.iter().enumerate() {
        params::check_enum("action_attribution_windows", i, name, allowed)?;
        if let Some(w) = Window::of(name).filter(|w| !out.contains(w)) {
            out.push(w);
        }
    }
    Ok(out)
}

/// One metric's split over the windows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Split {
    pub click_1d: u64,
    pub click_7d: u64,
    pub click_28d: u64,
    pub view_1d: u64,
    pub ev_1d: u64,
}

impl Split {
    /// Splits `n` (the default-attribution count of one ad-day) with hash bits `h`.
    pub(crate) fn of(n: u64, h: u64) -> Split {
        let view_1d = n * (h % 13) / 100;
        let click_7d = n - view_1d;
        let click_1d = click_7d * (60 + (h >> 8) % 35) / 100;
        let click_28d =
            click_7d + click_7d * ((h >> 16) % 12) / 100 + u64::from(n > 0 && (h >> 24).is_multiple_of(4));
        let ev_1d = view_1d * ((h >> 32) % 60) / 100;
        Split { click_1d, click_7d, click_28d, view_1d, ev_1d }
    }

    /// Adds another split.
    pub(crate) fn add(&mut self, o: &Split) {
        self.click_1d += o.click_1d;
        self.click_7d += o.click_7d;
        self.click_28d += o.click_28d;
        self.view_1d += o.view_1d;
        self.ev_1d += o.ev_1d;
    }

    /// The amount under window `w`.
    pub(crate) fn get(&self, w: Window) -> u64 {
        match w {
            Window::Click1d => self.click_1d,
            Window::Click7d => self.click_7d,
            Window::Click28d => self.click_28d,
            Window::View1d => self.view_1d,
            Window::Ev1d => self.ev_1d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_are_ordered_and_add_up_to_value() {
        for n in [0u64, 1, 2, 7, 100, 12_345] {
            for h in [0u64, 1, 0xdead_beef, u64::MAX, 0x1234_5678_9abc_def0] {
                let s = Split::of(n, h);
                assert_eq!(s.click_7d + s.view_1d, n);
                assert!(s.click_1d <= s.click_7d && s.click_7d <= s.click_28d);
                assert!(s.ev_1d <= s.view_1d);
            }
        }
    }

    #[test]
    fn windows_parse_in_both_forms() {
        let a = parse(Some("1d_click,7d_view,28d_click,default")).unwrap();
        assert_eq!(a, vec![Window::Click1d, Window::Click28d]);
        assert_eq!(parse(Some(r#"["1d_click","7d_view","28d_click","default"]"#)).unwrap(), a);
        let e = parse(Some("2d_click")).unwrap_err();
        assert!(e.message.contains("action_attribution_windows[0] must be one of the following values: "));
    }
}
