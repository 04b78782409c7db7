//! Path → route: which node or edge a call addresses, its endpoint pattern (for stats and
//! fault matching), the ad account it touches and whether it is an insights call.

use super::ids::Kind;
use super::world::World;

/// Where a call goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/` (batch envelope).
    Root,
    /// `/me`.
    Me,
    /// `/me/<edge>`.
    MeEdge(String),
    /// `/debug_token`.
    DebugToken,
    /// `/oauth/access_token`.
    OAuthToken,
    /// `/dialog/oauth`.
    Dialog,
    /// `/<node>`.
    Node(Kind, usize),
    /// `/<node>/<edge>`.
    Edge(Kind, usize, String),
    /// Anything else (unknown object ids included).
    Unknown(String),
}

/// A routed call.
#[derive(Debug, Clone)]
pub(crate) struct Routed {
    pub route: Route,
    /// Endpoint pattern, e.g. `/act_{id}/insights`.
    pub endpoint: String,
    /// Ad account index the call touches.
    pub account: Option<usize>,
    pub insights: bool,
}

fn pattern(kind: Kind) -> &'static str {
    match kind {
        Kind::Account => "/act_{id}",
        Kind::Business => "/{business_id}",
        Kind::Campaign => "/{campaign_id}",
        Kind::AdSet => "/{adset_id}",
        Kind::Ad => "/{ad_id}",
        Kind::Creative => "/{creative_id}",
        Kind::ReportRun => "/{report_run_id}",
        Kind::User => "/{user_id}",
    }
}

/// Routes `path` (version already stripped). `runs` is the number of report runs so far.
pub(crate) fn route(w: &World, path: &str, runs: usize, run_accounts: &dyn Fn(usize) -> usize) -> Routed {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let plain = |route: Route, endpoint: &str| Routed {
        route,
        endpoint: endpoint.to_string(),
        account: None,
        insights: false,
    };
    match segs.as_slice() {
        [] => return plain(Route::Root, "/"),
        ["me"] => return plain(Route::Me, "/me"),
        ["me", edge] => return plain(Route::MeEdge(edge.to_string()), &format!("/me/{edge}")),
        ["debug_token"] => return plain(Route::DebugToken, "/debug_token"),
        ["oauth", "access_token"] => return plain(Route::OAuthToken, "/oauth/access_token"),
        ["dialog", "oauth"] => return plain(Route::Dialog, "/dialog/oauth"),
        _ => {}
    }
    let node = segs.first().and_then(|s| w.ids.decode_segment(s)).filter(|(k, i)| exists(w, *k, *i, runs));
    let Some((kind, idx)) = node else { return plain(Route::Unknown(segs[0].to_string()), "/{unknown}") };
    let account = match kind {
        Kind::Account => Some(idx),
        Kind::Campaign => Some(w.campaign_account(idx)),
        Kind::AdSet => Some(w.campaign_account(w.adset_campaign(idx))),
        Kind::Ad | Kind::Creative => Some(w.ad_account(idx)),
        Kind::ReportRun => Some(run_accounts(idx)),
        _ => None,
    };
    match segs.as_slice() {
        [_] => Routed {
            route: Route::Node(kind, idx),
            endpoint: pattern(kind).to_string(),
            account,
            insights: false,
        },
        [_, edge] => Routed {
            route: Route::Edge(kind, idx, edge.to_string()),
            endpoint: format!("{}/{edge}", pattern(kind)),
            account,
            insights: *edge == "insights",
        },
        _ => plain(Route::Unknown(path.to_string()), "/{unknown}"),
    }
}

fn exists(w: &World, kind: Kind, idx: usize, runs: usize) -> bool {
    idx < match kind {
        Kind::Account => w.accounts.len(),
        Kind::Business => w.businesses.len(),
        Kind::Campaign => w.campaigns.len(),
        Kind::AdSet => w.adsets.len(),
        Kind::Ad | Kind::Creative => w.ads.len(),
        Kind::ReportRun => runs,
        Kind::User => 2,
    }
}
