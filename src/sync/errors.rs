//! Why a stream of an account failed, and how much of the account's run that failure ends.

use crate::graph::GraphError;
use crate::graph::paging::ListingStop;
use crate::ids::BadCursor;

/// A failure of one `(account, stream)`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StreamError {
    /// The Graph client gave up (after its retries, refreshes and waits).
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// The paging engine stopped a listing: a cursor cycle, the page cap or the pass deadline.
    #[error("listing {path} stopped: {stop}")]
    Listing {
        /// Path of the listing.
        path: String,
        /// Why.
        stop: ListingStop,
    },
    /// The stored cursor of the stream does not parse.
    #[error(transparent)]
    Cursor(#[from] BadCursor),
}

/// What a failure ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The account's remaining work in this run (a token, a throttle, an API that keeps
    /// failing: its other streams would meet the same).
    Account,
    /// Only this stream; the account's other streams go on.
    Stream,
}

impl StreamError {
    /// What this failure ends.
    pub fn scope(&self) -> Scope {
        match self {
            Self::Graph(_) => Scope::Account,
            Self::Listing { .. } | Self::Cursor(_) => Scope::Stream,
        }
    }

    /// Whether the configuration is wrong for every account (a plainly wrong `meta.base_url`):
    /// exit code 2.
    pub fn misconfigured(&self) -> bool {
        matches!(self, Self::Graph(GraphError::BadBaseUrl { .. }))
    }

    /// Whether a person must re-authorize (exit code 3).
    pub fn needs_reauth(&self) -> bool {
        matches!(self, Self::Graph(GraphError::NeedsReauth { .. }))
    }
}
