//! Reading every synced table back as [`crate::model`] rows: for tests, the demo's checks
//! and analysts' sanity checks. Each table is read by its description
//! ([`crate::model::table`]); values travel as text where the backends differ (see
//! [`super::dialect`]) and are parsed exactly: decimals, microsecond timestamps and JSON
//! round-trip.

use super::db::Db;
use super::decode::{Decoded, unwrap_corrupt};
use super::dialect;
use super::error::WarehouseError;
use super::types::{Backend, Snapshot};
use crate::model::table::{ColumnType, Table, TableRow};

/// Reads every synced table, each sorted by its key.
pub(crate) fn read<C: Db>(conn: &mut C) -> Result<Snapshot, WarehouseError> {
    Ok(Snapshot {
        accounts: table(conn)?,
        campaigns: table(conn)?,
        ad_sets: table(conn)?,
        ads: table(conn)?,
        creatives: table(conn)?,
        insights: table(conn)?,
    })
}

/// Every row of `R`'s table, sorted by key here rather than by ORDER BY: byte order,
/// identical on both backends.
fn table<C: Db, R: TableRow + 'static>(conn: &mut C) -> Result<Vec<R>, WarehouseError> {
    let t = &R::TABLE;
    let sql = format!("SELECT {} FROM {}", select_list(C::BACKEND, t), t.name);
    let rows: Vec<Decoded<R>> = conn.load(&sql, Vec::new()).map_err(unwrap_corrupt)?;
    let mut rows: Vec<R> = rows.into_iter().map(|d| d.0).collect();
    rows.sort_by(|a, b| a.key().cmp(&b.key()));
    Ok(rows)
}

/// `SELECT` list of `table`'s columns, with values as text where the backends differ.
fn select_list(b: Backend, table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|c| match c.ty {
            ColumnType::Text | ColumnType::Int4 | ColumnType::Int8 => c.name.to_string(),
            ColumnType::Decimal | ColumnType::Json => dialect::text(b, c.name),
            ColumnType::Timestamp => dialect::ts(b, c.name),
            ColumnType::Date => dialect::date(b, c.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
