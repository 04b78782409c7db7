//! The few spots where one SQL text serves both backends with small rewrites.

use std::borrow::Cow;

use super::types::Backend;

/// SQL written for PostgreSQL (`$n` parameters, `::timestamptz` casts on text parameters)
/// adapted to `backend`: SQLite takes `?n` and stores timestamps as the text itself.
pub(crate) fn sql(backend: Backend, pg_sql: &str) -> Cow<'_, str> {
    match backend {
        Backend::Postgres => Cow::Borrowed(pg_sql),
        Backend::Sqlite => Cow::Owned(pg_sql.replace("::timestamptz", "").replace('$', "?")),
    }
}

/// Select expression giving timestamp column `col` as `YYYY-MM-DDTHH:MM:SS.ffffffZ` text.
pub(crate) fn ts(backend: Backend, col: &str) -> String {
    match backend {
        Backend::Postgres => {
            format!("to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS {col}")
        }
        Backend::Sqlite => col.to_string(),
    }
}

/// Select expression giving NUMERIC / JSONB column `col` as text.
pub(crate) fn text(backend: Backend, col: &str) -> String {
    match backend {
        Backend::Postgres => format!("{col}::text AS {col}"),
        Backend::Sqlite => col.to_string(),
    }
}

/// Select expression giving date column `col` as `YYYY-MM-DD` text.
pub(crate) fn date(backend: Backend, col: &str) -> String {
    match backend {
        Backend::Postgres => format!("to_char({col}, 'YYYY-MM-DD') AS {col}"),
        Backend::Sqlite => col.to_string(),
    }
}
