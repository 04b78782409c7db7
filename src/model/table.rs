//! The one description of each synced warehouse table. `table_row!` declares a row struct
//! together with its table name and key; each field is a column of the same name, and the
//! field's Rust type decides how the column is stored ([`ColumnValue`]). The warehouse derives
//! its upserts (PostgreSQL binary COPY, SQLite multi-row `INSERT`) and its read-back from this
//! description; a test checks the diesel schema files and the migrations against it.
//!
//! Plain data and traits, no I/O: the warehouse implements [`ColumnWriter`] and
//! [`ColumnReader`] for its backends.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::json::JsonText;
use super::level::InsightLevel;

/// What a column holds; each backend stores a type in one SQL type (docs/schema.md, "Types
/// per backend").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text and ids: `TEXT` on both backends.
    Text,
    /// A 32-bit count: `INTEGER`.
    Int4,
    /// A 64-bit count: `BIGINT`.
    Int8,
    /// Exact money or ratio: `NUMERIC` on PostgreSQL, canonical decimal `TEXT` on SQLite.
    Decimal,
    /// A UTC instant: `TIMESTAMPTZ`, or fixed-width ISO-8601 `TEXT`.
    Timestamp,
    /// A calendar day: `DATE`, or `YYYY-MM-DD` `TEXT`.
    Date,
    /// A JSON document: `JSONB`, or JSON `TEXT`.
    Json,
}

/// One column of a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Column name (also the row struct's field name).
    pub name: &'static str,
    /// What it holds.
    pub ty: ColumnType,
    /// Whether it accepts NULL (the field is an `Option`).
    pub nullable: bool,
}

/// A synced table: name, natural key and columns in order.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Columns of the natural key (the primary key), in order.
    pub key: &'static [&'static str],
    /// Every column, in table order.
    pub columns: &'static [Column],
}

/// Receives one row's values in column order (a backend's encoder).
pub trait ColumnWriter<'a> {
    /// A NULL.
    fn null(&mut self);
    /// A text value borrowed from the row.
    fn text(&mut self, v: &'a str);
    /// A 64-bit integer.
    fn int(&mut self, v: i64);
    /// A 32-bit integer; binary COPY needs the exact width.
    fn int4(&mut self, v: i32) {
        self.int(v.into())
    }
    /// An exact decimal.
    fn decimal(&mut self, v: &Decimal);
    /// A UTC instant.
    fn timestamp(&mut self, v: &DateTime<Utc>);
    /// A calendar day.
    fn date(&mut self, v: NaiveDate);
    /// A JSON value.
    fn json(&mut self, v: &serde_json::Value);
    /// JSON already serialized (validated when the [`JsonText`] was made).
    fn json_text(&mut self, v: &str);
}

/// Gives one stored row's values by column name; `None` is NULL (a backend's decoder).
pub trait ColumnReader {
    /// What a failed read is.
    type Error;
    /// A text column.
    fn text(&mut self, col: &'static str) -> Result<Option<String>, Self::Error>;
    /// A 32-bit integer column.
    fn int4(&mut self, col: &'static str) -> Result<Option<i32>, Self::Error>;
    /// A 64-bit integer column.
    fn int(&mut self, col: &'static str) -> Result<Option<i64>, Self::Error>;
    /// A decimal column.
    fn decimal(&mut self, col: &'static str) -> Result<Option<Decimal>, Self::Error>;
    /// A timestamp column.
    fn timestamp(&mut self, col: &'static str) -> Result<Option<DateTime<Utc>>, Self::Error>;
    /// A date column.
    fn date(&mut self, col: &'static str) -> Result<Option<NaiveDate>, Self::Error>;
    /// A JSON column, as its text.
    fn json_text(&mut self, col: &'static str) -> Result<Option<JsonText>, Self::Error>;
    /// The error for a stored value of `col` the row type does not accept.
    fn invalid(&mut self, col: &'static str, detail: String) -> Self::Error;
}

/// A Rust type that is stored in one column.
pub trait ColumnValue: Sized {
    /// How the column stores it.
    const TYPE: ColumnType;
    /// Whether the column is nullable (only `Option`s are).
    const NULLABLE: bool = false;
    /// Writes the value.
    fn write<'a, W: ColumnWriter<'a>>(&'a self, w: &mut W);
    /// Reads a possibly NULL value of column `col`.
    fn read_opt<R: ColumnReader>(r: &mut R, col: &'static str) -> Result<Option<Self>, R::Error>;
    /// Reads the value of column `col`; NULL is an error unless `Self` is an `Option`.
    fn read<R: ColumnReader>(r: &mut R, col: &'static str) -> Result<Self, R::Error> {
        match Self::read_opt(r, col)? {
            Some(v) => Ok(v),
            None => Err(r.invalid(col, "NULL in a NOT NULL column".into())),
        }
    }
}

impl<T: ColumnValue> ColumnValue for Option<T> {
    const TYPE: ColumnType = T::TYPE;
    const NULLABLE: bool = true;
    fn write<'a, W: ColumnWriter<'a>>(&'a self, w: &mut W) {
        match self {
            Some(v) => v.write(w),
            None => w.null(),
        }
    }
    fn read_opt<R: ColumnReader>(r: &mut R, col: &'static str) -> Result<Option<Self>, R::Error> {
        T::read_opt(r, col).map(Some)
    }
}

/// Implements [`ColumnValue`] for a type the reader and writer handle directly.
macro_rules! direct_value {
    ($ty:ty, $kind:ident, |$v:ident, $w:ident| $write:expr, $read:ident) => {
        impl ColumnValue for $ty {
            const TYPE: ColumnType = ColumnType::$kind;
            fn write<'a, W: ColumnWriter<'a>>(&'a self, $w: &mut W) {
                let $v = self;
                $write
            }
            fn read_opt<R: ColumnReader>(r: &mut R, col: &'static str) -> Result<Option<Self>, R::Error> {
                r.$read(col)
            }
        }
    };
}

direct_value!(String, Text, |v, w| w.text(v), text);
direct_value!(i32, Int4, |v, w| w.int4(*v), int4);
direct_value!(i64, Int8, |v, w| w.int(*v), int);
direct_value!(Decimal, Decimal, |v, w| w.decimal(v), decimal);
direct_value!(DateTime<Utc>, Timestamp, |v, w| w.timestamp(v), timestamp);
direct_value!(NaiveDate, Date, |v, w| w.date(*v), date);
direct_value!(JsonText, Json, |v, w| w.json_text(v.as_str()), json_text);

impl ColumnValue for serde_json::Value {
    const TYPE: ColumnType = ColumnType::Json;
    fn write<'a, W: ColumnWriter<'a>>(&'a self, w: &mut W) {
        w.json(self);
    }
    fn read_opt<R: ColumnReader>(r: &mut R, col: &'static str) -> Result<Option<Self>, R::Error> {
        Ok(r.json_text(col)?.map(|j| j.to_value()))
    }
}

impl ColumnValue for InsightLevel {
    const TYPE: ColumnType = ColumnType::Text;
    fn write<'a, W: ColumnWriter<'a>>(&'a self, w: &mut W) {
        w.text(self.as_str());
    }
    fn read_opt<R: ColumnReader>(r: &mut R, col: &'static str) -> Result<Option<Self>, R::Error> {
        match r.text(col)? {
            None => Ok(None),
            Some(s) => match InsightLevel::parse(&s) {
                Some(level) => Ok(Some(level)),
                None => Err(r.invalid(col, format!("unknown level {s:?}"))),
            },
        }
    }
}

/// Most columns a natural key has.
pub const MAX_KEY: usize = 3;

/// One value of a natural key, borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCell<'k> {
    /// Padding after the key's last column.
    None,
    /// A text or id column.
    Str(&'k str),
    /// A date column.
    Date(NaiveDate),
    /// An insights level.
    Level(InsightLevel),
}

/// A row's natural key: its key columns' values, padded with [`KeyCell::None`]. Ordering is
/// the key's, column by column (text in byte order).
pub type RowKey<'k> = [KeyCell<'k>; MAX_KEY];

/// A type a key column may have.
pub trait KeyPart {
    /// The value as a key cell.
    fn key_cell(&self) -> KeyCell<'_>;
}

impl KeyPart for String {
    fn key_cell(&self) -> KeyCell<'_> {
        KeyCell::Str(self)
    }
}

impl KeyPart for NaiveDate {
    fn key_cell(&self) -> KeyCell<'_> {
        KeyCell::Date(*self)
    }
}

impl KeyPart for InsightLevel {
    fn key_cell(&self) -> KeyCell<'_> {
        KeyCell::Level(*self)
    }
}

/// Pads the cells of an `N`-column key to a [`RowKey`].
pub fn row_key<const N: usize>(cells: [KeyCell<'_>; N]) -> RowKey<'_> {
    const { assert!(N >= 1 && N <= MAX_KEY, "a natural key has 1 to MAX_KEY columns") };
    let mut key = [KeyCell::None; MAX_KEY];
    key[..N].copy_from_slice(&cells);
    key
}

/// A row of a synced table, declared with `table_row!`.
pub trait TableRow: Sized {
    /// The table's description.
    const TABLE: Table;
    /// The row's natural key.
    fn key(&self) -> RowKey<'_>;
    /// Writes every column's value, in column order.
    fn write<'a, W: ColumnWriter<'a>>(&'a self, w: &mut W);
    /// Reads a stored row.
    fn read<R: ColumnReader>(r: &mut R) -> Result<Self, R::Error>;
}

/// Declares a row struct and its [`TableRow`] description: `table "name" key (fields)` after
/// the struct's name; every field is a column of the same name, in order.
macro_rules! table_row {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in table $table:literal key ($($key:ident),+) {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )+
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )+
        }

        impl $crate::model::table::TableRow for $name {
            const TABLE: $crate::model::table::Table = $crate::model::table::Table {
                name: $table,
                key: &[$(stringify!($key)),+],
                columns: &[$($crate::model::table::Column {
                    name: stringify!($field),
                    ty: <$ty as $crate::model::table::ColumnValue>::TYPE,
                    nullable: <$ty as $crate::model::table::ColumnValue>::NULLABLE,
                }),+],
            };

            fn key(&self) -> $crate::model::table::RowKey<'_> {
                $crate::model::table::row_key([$($crate::model::table::KeyPart::key_cell(&self.$key)),+])
            }

            fn write<'a, W: $crate::model::table::ColumnWriter<'a>>(&'a self, w: &mut W) {
                $($crate::model::table::ColumnValue::write(&self.$field, w);)+
            }

            fn read<R: $crate::model::table::ColumnReader>(r: &mut R) -> Result<Self, R::Error> {
                Ok($name {
                    $($field: <$ty as $crate::model::table::ColumnValue>::read(r, stringify!($field))?,)+
                })
            }
        }
    };
}
pub(crate) use table_row;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_keys_order_column_by_column() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let key = |l: InsightLevel, id: &'static str, day: NaiveDate| {
            row_key([KeyCell::Level(l), KeyCell::Str(id), KeyCell::Date(day)])
        };
        let mut keys = [
            key(InsightLevel::Ad, "1", d("2026-01-01")),
            key(InsightLevel::Account, "9", d("2026-01-02")),
            key(InsightLevel::Account, "10", d("2026-01-03")),
            key(InsightLevel::Account, "9", d("2026-01-01")),
        ];
        keys.sort();
        assert_eq!(
            keys,
            [
                key(InsightLevel::Account, "10", d("2026-01-03")),
                key(InsightLevel::Account, "9", d("2026-01-01")),
                key(InsightLevel::Account, "9", d("2026-01-02")),
                key(InsightLevel::Ad, "1", d("2026-01-01")),
            ]
        );
        assert_eq!(row_key([KeyCell::Str("x")]), [KeyCell::Str("x"), KeyCell::None, KeyCell::None]);
    }
}
