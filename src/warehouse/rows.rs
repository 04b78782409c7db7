//! What every synced table's upsert shares, derived from the row's table description
//! ([`crate::model::table`]): "last row with a key wins" and the `ON CONFLICT` tail.

use crate::model::table::{Table, TableRow};

/// The rows to write: for every key only its last occurrence, in input order. Upserting two
/// rows with one key in one statement is an error on PostgreSQL, and "last wins" is the
/// contract on both backends.
pub(crate) fn last_wins<R: TableRow>(rows: &[R]) -> Vec<&R> {
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    let mut out: Vec<&R> = rows.iter().rev().filter(|r| seen.insert(r.key())).collect();
    out.reverse();
    out
}

/// The column names of `table`, comma-separated.
pub(crate) fn column_list(table: &Table) -> String {
    table.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

/// `INSERT ... ON CONFLICT (key) DO UPDATE SET c = excluded.c` tail, for every non-key column.
pub(crate) fn on_conflict_update(table: &Table) -> String {
    let sets: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !table.key.contains(&c.name))
        .map(|c| format!("{0} = excluded.{0}", c.name))
        .collect();
    format!(" ON CONFLICT ({}) DO UPDATE SET {}", table.key.join(", "), sets.join(", "))
}
