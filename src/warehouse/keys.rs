//! How the warehouse API takes an ad account id and a stream name: as the typed
//! [`AccountId`] and [`Stream`], or as the text stored in `sync_cursors` (bare digits, stream
//! name), so callers holding either pass it as it is.

use crate::ids::{AccountId, Stream};

/// An ad account id as stored: bare digits, no `act_`.
pub trait AccountKey {
    /// The stored text.
    fn account_key(&self) -> &str;
}

impl AccountKey for AccountId {
    fn account_key(&self) -> &str {
        self.as_str()
    }
}

impl AccountKey for str {
    fn account_key(&self) -> &str {
        self
    }
}

impl AccountKey for String {
    fn account_key(&self) -> &str {
        self
    }
}

impl<T: AccountKey + ?Sized> AccountKey for &T {
    fn account_key(&self) -> &str {
        (**self).account_key()
    }
}

/// A stream name as stored in `sync_cursors.stream`.
pub trait StreamKey {
    /// The stored text.
    fn stream_key(&self) -> &str;
}

impl StreamKey for Stream {
    fn stream_key(&self) -> &str {
        self.as_str()
    }
}

impl StreamKey for str {
    fn stream_key(&self) -> &str {
        self
    }
}

impl StreamKey for String {
    fn stream_key(&self) -> &str {
        self
    }
}

impl<T: StreamKey + ?Sized> StreamKey for &T {
    fn stream_key(&self) -> &str {
        (**self).stream_key()
    }
}
