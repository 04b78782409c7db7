//! What went wrong with one attempt, owned: the transport and the body reader produce a [`Fault`],
//! the classifier reads it as a borrowed [`Failure`].

use super::classify::Failure;
use super::error::WireError;

/// A failed attempt, owned (the classifier borrows it as a [`Failure`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// No answer within the per-attempt timeout.
    Timeout,
    /// No connection at all: DNS failure, connection refused, TLS handshake failure. The text
    /// says which (no URL, no secrets).
    Connect(String),
    /// A connection that broke: reset or closed early; the text says which.
    Connection(String),
    /// An answer that is not JSON or not a Graph error (HTML 500, truncated body).
    Unreadable {
        /// HTTP status.
        status: u16,
        /// What was wrong with it.
        detail: String,
        /// The body was cut off in transit (see [`Failure::Unreadable`]).
        cut_off: bool,
    },
    /// A `null` batch item: Meta timed the item out inside the batch (docs/graph-api.md §4).
    NullItem,
    /// A body larger than the configured cap.
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// A Graph error body.
    Api {
        /// HTTP status or batch item `code`.
        status: u16,
        /// The error (boxed: it is large and rare).
        error: Box<WireError>,
    },
}

impl Fault {
    /// The borrowed view the classifier takes; `answered_before` says whether the base URL has
    /// ever given a Graph answer (a connect failure then is an outage, not a wrong URL).
    pub fn as_failure(&self, answered_before: bool) -> Failure<'_> {
        match self {
            Fault::Timeout => Failure::Timeout,
            Fault::Connect(_) => Failure::Connect { answered_before },
            Fault::Connection(_) => Failure::Connection,
            Fault::Unreadable { status, cut_off, .. } => {
                Failure::Unreadable { status: *status, cut_off: *cut_off }
            }
            Fault::NullItem => Failure::NullItem,
            Fault::TooLarge { .. } => Failure::TooLarge,
            Fault::Api { status, error } => Failure::Api { status: *status, error },
        }
    }

    /// One line for logs and errors (unredacted: callers scrub it).
    pub fn describe(&self) -> String {
        match self {
            Fault::Timeout => "attempt timed out".to_string(),
            Fault::Connect(d) => format!("cannot connect: {d}"),
            Fault::Connection(d) => format!("connection error: {d}"),
            Fault::Unreadable { status, detail, .. } => format!("HTTP {status}: {detail}"),
            Fault::NullItem => "null batch item (timed out inside the batch)".to_string(),
            Fault::TooLarge { limit } => format!("response body larger than the {limit}-byte cap"),
            Fault::Api { status, error } => format!(
                "HTTP {status} ({}/{}) {}",
                error.code,
                error.error_subcode.unwrap_or(0),
                error.message
            ),
        }
    }
}
