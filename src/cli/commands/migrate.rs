//! `migrate`: apply pending migrations and say which.

use super::{CommandError, open_warehouse};
use crate::config::Config;

/// Applies pending migrations; prints what was applied.
pub fn run(cfg: &Config) -> Result<(), CommandError> {
    let wh = open_warehouse(&cfg.warehouse.url)?;
    let applied = wh.migrate().map_err(|e| CommandError::failed(e.to_string()))?;
    if applied.is_empty() {
        crate::outln!("{}: schema is up to date", wh.location());
    } else {
        crate::outln!("{}: applied {} migration(s): {}", wh.location(), applied.len(), applied.join(", "));
    }
    Ok(())
}
