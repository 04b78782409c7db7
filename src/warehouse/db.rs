//! The handful of operations cursors, runs, leases and snapshots need, over either connection
//! type, so their SQL is written once (see [`super::dialect`] for the per-backend rewrites).

use diesel::pg::Pg;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{Connection, PgConnection, QueryResult, QueryableByName, RunQueryDsl, SqliteConnection};

use super::types::Backend;
use super::{dialect, upsert_pg, upsert_sqlite};
use crate::model::table::TableRow;

/// A bind parameter.
pub(crate) enum Bind {
    Text(String),
    OptText(Option<String>),
    Int(i64),
}

/// A connection of either backend.
pub(crate) trait Db: Connection {
    /// Which backend this is.
    const BACKEND: Backend;

    /// Runs `pg_sql` (rewritten for this backend) with `binds`; returns affected rows.
    fn exec(&mut self, pg_sql: &str, binds: Vec<Bind>) -> QueryResult<usize>;

    /// Runs `pg_sql` (rewritten for this backend) with `binds` and reads the rows.
    fn load<T>(&mut self, pg_sql: &str, binds: Vec<Bind>) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Pg> + QueryableByName<Sqlite> + 'static;

    /// Upserts `rows` (free of duplicate keys) inside the caller's transaction, at most
    /// `chunk_rows` rows per statement / COPY round; returns rows written.
    fn upsert<R: TableRow>(&mut self, rows: &[&R], chunk_rows: Option<usize>) -> QueryResult<u64>;

    /// Runs `f` in a write transaction: plain `BEGIN` on PostgreSQL, `BEGIN IMMEDIATE` on
    /// SQLite so the single writer takes the file lock up front instead of failing mid-way.
    fn write_tx<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<diesel::result::Error>;
}

fn bind_all<DB>(
    mut q: BoxedSqlQuery<'static, DB, diesel::query_builder::SqlQuery>,
    binds: Vec<Bind>,
) -> BoxedSqlQuery<'static, DB, diesel::query_builder::SqlQuery>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<BigInt>,
    String: diesel::serialize::ToSql<Text, DB>,
    Option<String>: diesel::serialize::ToSql<Nullable<Text>, DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
{
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind::<Text, _>(s),
            Bind::OptText(s) => q.bind::<Nullable<Text>, _>(s),
            Bind::Int(n) => q.bind::<BigInt, _>(n),
        };
    }
    q
}

impl Db for PgConnection {
    const BACKEND: Backend = Backend::Postgres;

    fn exec(&mut self, pg_sql: &str, binds: Vec<Bind>) -> QueryResult<usize> {
        bind_all(diesel::sql_query(pg_sql).into_boxed::<Pg>(), binds).execute(self)
    }

    fn load<T>(&mut self, pg_sql: &str, binds: Vec<Bind>) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Pg> + QueryableByName<Sqlite> + 'static,
    {
        bind_all(diesel::sql_query(pg_sql).into_boxed::<Pg>(), binds).load(self)
    }

    fn upsert<R: TableRow>(&mut self, rows: &[&R], chunk_rows: Option<usize>) -> QueryResult<u64> {
        upsert_pg::upsert(self, rows, chunk_rows.unwrap_or(upsert_pg::DEFAULT_CHUNK_ROWS))
    }

    fn write_tx<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        self.transaction(f)
    }
}

impl Db for SqliteConnection {
    const BACKEND: Backend = Backend::Sqlite;

    fn exec(&mut self, pg_sql: &str, binds: Vec<Bind>) -> QueryResult<usize> {
        let sql = dialect::sql(Backend::Sqlite, pg_sql).into_owned();
        bind_all(diesel::sql_query(sql).into_boxed::<Sqlite>(), binds).execute(self)
    }

    fn load<T>(&mut self, pg_sql: &str, binds: Vec<Bind>) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Pg> + QueryableByName<Sqlite> + 'static,
    {
        let sql = dialect::sql(Backend::Sqlite, pg_sql).into_owned();
        bind_all(diesel::sql_query(sql).into_boxed::<Sqlite>(), binds).load(self)
    }

    fn upsert<R: TableRow>(&mut self, rows: &[&R], chunk_rows: Option<usize>) -> QueryResult<u64> {
        upsert_sqlite::upsert(self, rows, chunk_rows.unwrap_or(upsert_sqlite::STATEMENT_ROWS))
    }

    fn write_tx<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        self.immediate_transaction(f)
    }
}
