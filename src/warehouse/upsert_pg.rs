//! PostgreSQL bulk upserts: each chunk is streamed with `COPY ... FROM STDIN` (binary format) into
//! a transaction-local staging table, then moved with one
//! `INSERT ... SELECT ... ON CONFLICT DO UPDATE`. COPY binds no parameters, so PostgreSQL's
//! 65535-parameter limit never applies; chunks only bound the staging table's size.

use std::marker::PhantomData;

use diesel::connection::SimpleConnection;
use diesel::pg::{CopyFormat, CopyTarget, Pg, PgConnection};
use diesel::query_builder::AstPass;
use diesel::{ExecuteCopyFromDsl, QueryResult, RunQueryDsl};

use super::copy_binary;
use super::rows::{column_list, on_conflict_update};
use super::schema_pg;
use crate::model::table::TableRow;

/// Rows per COPY + INSERT round when the caller does not choose.
pub(crate) const DEFAULT_CHUNK_ROWS: usize = 100_000;

/// diesel's COPY builder types a statement by a schema table, but the statement's target (the
/// staging or scratch table and the columns) is written by [`CopyInto`] from the row's table
/// description, so one table type serves as the tag for every row type.
type CopyTag = schema_pg::sync_runs::table;

/// COPY target `<PREFIX>_<table> (columns...)`: staging (and benchmark scratch) tables are not
/// in the schema file, so this names them for diesel's COPY builder.
struct CopyInto<R, const SCRATCH: bool>(PhantomData<R>);

impl<R: TableRow, const SCRATCH: bool> CopyTarget for CopyInto<R, SCRATCH> {
    type Table = CopyTag;
    type SqlType = diesel::sql_types::Text;

    fn walk_target(mut pass: AstPass<'_, '_, Pg>) -> QueryResult<()> {
        let prefix = if SCRATCH { "scratch" } else { "stage" };
        pass.push_sql(&format!("{prefix}_{} ({})", R::TABLE.name, column_list(&R::TABLE)));
        Ok(())
    }
}

/// Plain `COPY` of `rows` into table `scratch_<table>` (which the caller created): the
/// benchmark's baseline for what the upsert path costs on top of moving the bytes.
#[cfg(any(test, feature = "test-support"))]
pub(crate) fn copy_scratch<R: TableRow>(conn: &mut PgConnection, rows: &[&R]) -> QueryResult<usize> {
    diesel::copy_from(CopyTag::default())
        .from_raw_data(CopyInto::<R, true>(PhantomData), |out| {
            copy_binary::write_rows(out, rows).map_err(copy_error)
        })
        .with_format(CopyFormat::Binary)
        .execute(conn)
}

/// Upserts `rows` (already free of duplicate keys) inside the caller's transaction; returns
/// the number of rows inserted or updated.
pub(crate) fn upsert<R: TableRow>(
    conn: &mut PgConnection,
    rows: &[&R],
    chunk_rows: usize,
) -> QueryResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let spec = &R::TABLE;
    let table = spec.name;
    conn.batch_execute(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS stage_{table} (LIKE {table}) ON COMMIT DROP"
    ))?;
    let cols = column_list(spec);
    let insert =
        format!("INSERT INTO {table} ({cols}) SELECT {cols} FROM stage_{table}{}", on_conflict_update(spec));
    let mut written = 0;
    for (i, chunk) in rows.chunks(chunk_rows.max(1)).enumerate() {
        if i > 0 {
            conn.batch_execute(&format!("TRUNCATE stage_{table}"))?;
        }
        diesel::copy_from(CopyTag::default())
            .from_raw_data(CopyInto::<R, false>(PhantomData), |out| {
                copy_binary::write_rows(out, chunk).map_err(copy_error)
            })
            .with_format(CopyFormat::Binary)
            .execute(conn)?;
        written += diesel::sql_query(&insert).execute(conn)? as u64;
    }
    Ok(written)
}

fn copy_error(e: std::io::Error) -> diesel::result::Error {
    diesel::result::Error::SerializationError(Box::new(e))
}
