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
use super::rows::{Row, on_conflict_update};

/// Rows per COPY + INSERT round when the caller does not choose.
pub(crate) const DEFAULT_CHUNK_ROWS: usize = 100_000;

/// COPY target `<PREFIX>_<table> (columns...)`: staging (and benchmark scratch) tables are not
/// in the schema file, so this names them for diesel's COPY builder.
struct CopyInto<R, const SCRATCH: bool>(PhantomData<R>);

impl<R: Row, const SCRATCH: bool> CopyTarget for CopyInto<R, SCRATCH> {
    type Table = R::PgTable;
    type SqlType = diesel::sql_types::Text;

    fn walk_target(mut pass: AstPass<'_, '_, Pg>) -> QueryResult<()> {
        let prefix = if SCRATCH { "scratch" } else { "stage" };
        pass.push_sql(&format!("{prefix}_{} ({})", R::SPEC.name, R::SPEC.columns.join(", ")));
        Ok(())
    }
}

/// Plain `COPY` of `rows` into table `scratch_<table>` (which the caller created): the
/// benchmark's baseline for what the upsert path costs on top of moving the bytes.
pub(crate) fn copy_scratch<R: Row>(conn: &mut PgConnection, rows: &[&R]) -> QueryResult<usize> {
    diesel::copy_from(R::PgTable::default())
        .from_raw_data(CopyInto::<R, true>(PhantomData), |out| {
            copy_binary::write_rows(out, rows).map_err(copy_error)
        })
        .with_format(CopyFormat::Binary)
        .execute(conn)
}

/// Upserts `rows` (already free of duplicate keys) inside the caller's transaction; returns
/// the number of rows inserted or updated.
pub(crate) fn upsert<R: Row>(conn: &mut PgConnection, rows: &[&R], chunk_rows: usize) -> QueryResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let spec = &R::SPEC;
    let table = spec.name;
    conn.batch_execute(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS stage_{table} (LIKE {table}) ON COMMIT DROP"
    ))?;
    let cols = spec.columns.join(", ");
    let insert =
        format!("INSERT INTO {table} ({cols}) SELECT {cols} FROM stage_{table}{}", on_conflict_update(spec));
    let mut written = 0;
    for (i, chunk) in rows.chunks(chunk_rows.max(1)).enumerate() {
        if i > 0 {
            conn.batch_execute(&format!("TRUNCATE stage_{table}"))?;
        }
        diesel::copy_from(R::PgTable::default())
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
