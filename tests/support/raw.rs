//! Raw SQL access to a test database, for catalog queries the warehouse API does not offer.

/// A direct diesel connection to a test database, for catalog queries the API does not offer.
pub enum Raw {
    /// PostgreSQL.
    Pg(diesel::PgConnection),
    /// SQLite.
    Sqlite(diesel::SqliteConnection),
}

#[derive(diesel::QueryableByName)]
struct TextRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

impl Raw {
    /// Opens `url` (`sqlite://path` or a PostgreSQL URL).
    pub fn open(url: &str) -> Raw {
        use diesel::Connection;
        match url.strip_prefix("sqlite://") {
            Some(path) => Raw::Sqlite(diesel::SqliteConnection::establish(path).unwrap()),
            None => Raw::Pg(diesel::PgConnection::establish(url).unwrap()),
        }
    }

    /// Rows of a query whose single column is text named `v`.
    pub fn strings(&mut self, sql: &str) -> Vec<String> {
        use diesel::RunQueryDsl;
        let rows: Vec<TextRow> = match self {
            Raw::Pg(c) => diesel::sql_query(sql).load(c).unwrap(),
            Raw::Sqlite(c) => diesel::sql_query(sql).load(c).unwrap(),
        };
        rows.into_iter().map(|r| r.v).collect()
    }

    /// Rows in `table`.
    pub fn count(&mut self, table: &str) -> i64 {
        self.strings(&format!("SELECT CAST(COUNT(*) AS TEXT) AS v FROM {table}"))[0].parse().unwrap()
    }
}
