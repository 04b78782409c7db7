//! Graph API client: paging, batches, the error-code policy and pacing from usage headers.
