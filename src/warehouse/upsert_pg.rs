//! PostgreSQL bulk upserts: each chunk is streamed with `COPY ... FROM STDIN` (text format) into
//! a transaction-local staging table, then moved with one
//! `INSERT ... SELECT ... ON CONFLICT DO UPDATE`. COPY binds no parameters, so PostgreSQL's
//! 65535-parameter limit never applies; chunks only bound the staging table's size.

use std::io::Write;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::connection::SimpleConnection;
use diesel::pg::{CopyFormat, CopyTarget, Pg, PgConnection};
use diesel::query_builder::AstPass;
use diesel::{ExecuteCopyFromDsl, QueryResult, RunQueryDsl};
use rust_decimal::Decimal;

use super::codec::{push_date, push_decimal, push_timestamp};
use super::rows::{Row, Sink, on_conflict_update};

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
        .from_raw_data(CopyInto::<R, true>(PhantomData), |out| write_copy_text(out, rows))
        .with_format(CopyFormat::Text)
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
            .from_raw_data(CopyInto::<R, false>(PhantomData), |out| write_copy_text(out, chunk))
            .with_format(CopyFormat::Text)
            .execute(conn)?;
        written += diesel::sql_query(&insert).execute(conn)? as u64;
    }
    Ok(written)
}

/// Streams `rows` in COPY text format, flushing every 256 KiB.
fn write_copy_text<R: Row>(out: &mut dyn Write, rows: &[&R]) -> QueryResult<()> {
    let io = |e: std::io::Error| diesel::result::Error::SerializationError(Box::new(e));
    let mut sink = CopySink { buf: Vec::with_capacity(300 * 1024), scratch: String::new(), first: true };
    for row in rows {
        sink.first = true;
        row.encode(&mut sink);
        sink.buf.push(b'\n');
        if sink.buf.len() >= 256 * 1024 {
            out.write_all(&sink.buf).map_err(io)?;
            sink.buf.clear();
        }
    }
    out.write_all(&sink.buf).map_err(io)
}

/// One COPY text line: tab-separated, `\N` for NULL, backslash escapes for `\`, tab, CR, LF.
struct CopySink {
    buf: Vec<u8>,
    scratch: String,
    first: bool,
}

impl CopySink {
    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b'\t');
        }
        self.first = false;
    }

    fn escaped(buf: &mut Vec<u8>, s: &str) {
        if !s.bytes().any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) {
            buf.extend_from_slice(s.as_bytes());
            return;
        }
        for b in s.bytes() {
            match b {
                b'\\' => buf.extend_from_slice(b"\\\\"),
                b'\t' => buf.extend_from_slice(b"\\t"),
                b'\n' => buf.extend_from_slice(b"\\n"),
                b'\r' => buf.extend_from_slice(b"\\r"),
                _ => buf.push(b),
            }
        }
    }

    fn scratch_out(&mut self) {
        Self::escaped(&mut self.buf, &self.scratch);
        self.scratch.clear();
    }
}

impl<'a> Sink<'a> for CopySink {
    fn null(&mut self) {
        self.sep();
        self.buf.extend_from_slice(b"\\N");
    }
    fn text(&mut self, v: &'a str) {
        self.sep();
        Self::escaped(&mut self.buf, v);
    }
    fn int(&mut self, v: i64) {
        self.sep();
        let _ = write!(self.buf, "{v}");
    }
    fn decimal(&mut self, v: &Decimal) {
        self.sep();
        push_decimal(&mut self.scratch, v);
        self.scratch_out();
    }
    fn timestamp(&mut self, v: &DateTime<Utc>) {
        self.sep();
        push_timestamp(&mut self.scratch, v);
        self.scratch_out();
    }
    fn date(&mut self, v: NaiveDate) {
        self.sep();
        push_date(&mut self.scratch, v);
        self.scratch_out();
    }
    fn json(&mut self, v: &serde_json::Value) {
        self.sep();
        use std::fmt::Write as _;
        let _ = write!(self.scratch, "{v}");
        self.scratch_out();
    }
}
