//! Pure mapping from Graph API payloads to warehouse rows.
