//! SQLite bulk upserts: multi-row `INSERT ... VALUES (...), (...) ON CONFLICT DO UPDATE`
//! statements with as many rows as fit under SQLite's 32766 bind parameters. Statement sizes
//! are the full chunk or a power of two, so the prepared-statement cache stays small while
//! every statement is prepared once per connection and reused.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{QueryResult, RunQueryDsl};

impl RunQueryDsl<SqliteConnection> for ValuesStatement<'_, '_> {}
use rust_decimal::Decimal;

use super::codec::{push_date, push_decimal, push_timestamp};
use super::rows::{column_list, on_conflict_update};
use crate::model::table::{ColumnWriter, TableRow};

/// Rows per statement at most. Past a few hundred rows a longer statement is no faster, while
/// every prepared size stays cached per pooled connection, compiled (a 1,424-row statement of
/// 23 columns holds 32,752 bind cells).
pub(crate) const STATEMENT_ROWS: usize = 256;

/// SQLite's default `SQLITE_MAX_VARIABLE_NUMBER` (since 3.32).
pub(crate) const MAX_BIND_PARAMS: usize = 32766;

/// Upserts `rows` inside the caller's transaction; `max_rows` caps rows per statement (tests
/// use it to force many chunks). Returns the number of rows written.
pub(crate) fn upsert<R: TableRow>(
    conn: &mut SqliteConnection,
    rows: &[&R],
    max_rows: usize,
) -> QueryResult<u64> {
    let table = &R::TABLE;
    let ncols = table.columns.len();
    let full = (MAX_BIND_PARAMS / ncols).min(max_rows).max(1);
    let prefix = format!("INSERT INTO {} ({}) VALUES ", table.name, column_list(table));
    let tail = on_conflict_update(table);
    // Buffers reused by every statement: large, short-lived allocations would be fresh
    // (page-faulting) memory each time.
    let mut values = Vec::with_capacity(full.min(rows.len()) * ncols);
    let mut arena = String::new();
    let mut json = Vec::new();
    let mut rest = rows;
    let mut written = 0;
    while !rest.is_empty() {
        let n = if rest.len() >= full { full } else { 1 << rest.len().ilog2() };
        let (chunk, tail_rows) = rest.split_at(n);
        values.clear();
        arena.clear();
        json.clear();
        for row in chunk {
            row.write(&mut BindSink { values: &mut values, arena: &mut arena, json: &mut json });
        }
        let stmt = ValuesStatement {
            prefix: &prefix,
            tail: &tail,
            ncols,
            values: &values,
            arena: &arena,
            json: &json,
        };
        written += stmt.execute(conn)? as u64;
        rest = tail_rows;
    }
    Ok(written)
}

/// A bind value: borrowed from the row, formatted into the text or JSON arena, or an integer.
enum Val<'a> {
    Null,
    Borrowed(&'a str),
    Arena(usize, usize),
    Json(usize, usize),
    Int(i64),
}

struct BindSink<'s, 'a> {
    values: &'s mut Vec<Val<'a>>,
    arena: &'s mut String,
    json: &'s mut Vec<u8>,
}

impl BindSink<'_, '_> {
    fn arena(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.arena.len();
        write(self.arena);
        self.values.push(Val::Arena(start, self.arena.len()));
    }
}

impl<'a> ColumnWriter<'a> for BindSink<'_, 'a> {
    fn null(&mut self) {
        self.values.push(Val::Null);
    }
    fn text(&mut self, v: &'a str) {
        self.values.push(Val::Borrowed(v));
    }
    fn int(&mut self, v: i64) {
        self.values.push(Val::Int(v));
    }
    fn decimal(&mut self, v: &Decimal) {
        self.arena(|s| push_decimal(s, v));
    }
    fn timestamp(&mut self, v: &DateTime<Utc>) {
        self.arena(|s| push_timestamp(s, v));
    }
    fn date(&mut self, v: NaiveDate) {
        self.arena(|s| push_date(s, v));
    }
    fn json(&mut self, v: &serde_json::Value) {
        // Straight into bytes: serde_json's writer path is much faster than its Display.
        let start = self.json.len();
        serde_json::to_writer(&mut *self.json, v).expect("a JSON value serializes");
        self.values.push(Val::Json(start, self.json.len()));
    }
    fn json_text(&mut self, v: &str) {
        let start = self.json.len();
        self.json.extend_from_slice(v.as_bytes());
        self.values.push(Val::Json(start, self.json.len()));
    }
}

/// `prefix (?, ...), (?, ...) tail` over `values.len() / ncols` rows.
struct ValuesStatement<'s, 'a> {
    prefix: &'s str,
    tail: &'s str,
    ncols: usize,
    values: &'s [Val<'a>],
    arena: &'s str,
    json: &'s [u8],
}

impl QueryId for ValuesStatement<'_, '_> {
    // Cached by SQL text: one prepared statement per (table, row count).
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Sqlite> for ValuesStatement<'_, '_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql(self.prefix);
        for (i, v) in self.values.iter().enumerate() {
            let col = i % self.ncols;
            out.push_sql(match (i == 0, col == 0) {
                (true, _) => "(",
                (false, true) => "), (",
                (false, false) => ", ",
            });
            match v {
                Val::Null => out.push_bind_param::<Nullable<Text>, Option<&str>>(&None)?,
                Val::Borrowed(s) => out.push_bind_param::<Text, str>(s)?,
                Val::Arena(a, b) => out.push_bind_param::<Text, str>(&self.arena[*a..*b])?,
                Val::Json(a, b) => {
                    let text = std::str::from_utf8(&self.json[*a..*b])
                        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
                    out.push_bind_param::<Text, str>(text)?
                }
                Val::Int(n) => out.push_bind_param::<BigInt, i64>(n)?,
            }
        }
        out.push_sql(")");
        out.push_sql(self.tail);
        Ok(())
    }
}
