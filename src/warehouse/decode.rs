//! Reading stored rows back by their table description: a [`ColumnReader`] over one result
//! row of a `SELECT` that [`super::snapshot`] writes, values as text where the backends differ
//! (see [`super::dialect`]), parsed exactly by [`super::codec`].

use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{FromSql, QueryableByName};
use diesel::row::NamedRow;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use rust_decimal::Decimal;

use super::codec::{parse_date, parse_decimal, parse_json_text, parse_timestamp};
use super::error::WarehouseError;
use crate::model::JsonText;
use crate::model::table::{ColumnReader, TableRow};

/// One row of `R`'s table, decoded.
pub(crate) struct Decoded<R>(pub R);

impl<R: TableRow, DB: Backend> QueryableByName<DB> for Decoded<R>
where
    Option<String>: FromSql<Nullable<Text>, DB>,
    Option<i32>: FromSql<Nullable<Integer>, DB>,
    Option<i64>: FromSql<Nullable<BigInt>, DB>,
{
    fn build<'a>(row: &impl NamedRow<'a, DB>) -> diesel::deserialize::Result<Self> {
        let mut reader = Reader { row, table: R::TABLE.name, db: PhantomData };
        R::read(&mut reader).map(Decoded).map_err(|e| Box::new(e) as _)
    }
}

/// A stored value that does not parse surfaces from diesel as a deserialization error
/// carrying our [`WarehouseError::Corrupt`]; this unwraps it again.
pub(crate) fn unwrap_corrupt(e: diesel::result::Error) -> WarehouseError {
    match e {
        diesel::result::Error::DeserializationError(inner) => match inner.downcast::<WarehouseError>() {
            Ok(ours) => *ours,
            Err(other) => WarehouseError::Query(diesel::result::Error::DeserializationError(other)),
        },
        other => WarehouseError::Query(other),
    }
}

struct Reader<'r, N, DB> {
    row: &'r N,
    table: &'static str,
    db: PhantomData<DB>,
}

impl<'r, 'a, N: NamedRow<'a, DB>, DB: Backend> Reader<'r, N, DB>
where
    Option<String>: FromSql<Nullable<Text>, DB>,
{
    fn raw<ST, T: FromSql<ST, DB>>(&self, col: &'static str) -> Result<T, WarehouseError> {
        NamedRow::<DB>::get::<ST, T>(self.row, col).map_err(|e| WarehouseError::Corrupt {
            table: self.table,
            column: col,
            detail: e.to_string(),
        })
    }

    fn parsed<T>(
        &self,
        col: &'static str,
        parse: fn(&'static str, &'static str, &str) -> Result<T, WarehouseError>,
    ) -> Result<Option<T>, WarehouseError> {
        let text: Option<String> = self.raw::<Nullable<Text>, _>(col)?;
        text.map(|s| parse(self.table, col, &s)).transpose()
    }
}

impl<'r, 'a, N: NamedRow<'a, DB>, DB: Backend> ColumnReader for Reader<'r, N, DB>
where
    Option<String>: FromSql<Nullable<Text>, DB>,
    Option<i32>: FromSql<Nullable<Integer>, DB>,
    Option<i64>: FromSql<Nullable<BigInt>, DB>,
{
    type Error = WarehouseError;

    fn text(&mut self, col: &'static str) -> Result<Option<String>, WarehouseError> {
        self.raw::<Nullable<Text>, _>(col)
    }
    fn int4(&mut self, col: &'static str) -> Result<Option<i32>, WarehouseError> {
        self.raw::<Nullable<Integer>, _>(col)
    }
    fn int(&mut self, col: &'static str) -> Result<Option<i64>, WarehouseError> {
        self.raw::<Nullable<BigInt>, _>(col)
    }
    fn decimal(&mut self, col: &'static str) -> Result<Option<Decimal>, WarehouseError> {
        self.parsed(col, parse_decimal)
    }
    fn timestamp(&mut self, col: &'static str) -> Result<Option<DateTime<Utc>>, WarehouseError> {
        self.parsed(col, parse_timestamp)
    }
    fn date(&mut self, col: &'static str) -> Result<Option<NaiveDate>, WarehouseError> {
        self.parsed(col, parse_date)
    }
    fn json_text(&mut self, col: &'static str) -> Result<Option<JsonText>, WarehouseError> {
        self.parsed(col, parse_json_text)
    }
    fn invalid(&mut self, col: &'static str, detail: String) -> WarehouseError {
        WarehouseError::Corrupt { table: self.table, column: col, detail }
    }
}
