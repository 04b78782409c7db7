//! PostgreSQL binary COPY encoding of rows. Binary spares the server parsing numeric,
//! timestamp, date and integer text (measured: ~35% of a text COPY's server time here); JSONB
//! is sent as its version byte plus JSON text, which the server still parses.

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::model::table::{ColumnWriter, TableRow};

/// `PGCOPY\n\377\r\n\0`, then flags and header-extension length (both 0).
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// Microseconds and days between the Unix epoch and PostgreSQL's epoch (2000-01-01).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
const PG_EPOCH_DAYS: i32 = 10_957;
/// Bytes buffered before handing them to libpq.
const FLUSH_AT: usize = 256 * 1024;

/// Streams `rows` as a complete binary COPY payload (header, tuples, trailer).
pub(crate) fn write_rows<R: TableRow>(out: &mut dyn Write, rows: &[&R]) -> std::io::Result<()> {
    let mut sink = BinarySink { buf: Vec::with_capacity(FLUSH_AT + 64 * 1024) };
    sink.buf.extend_from_slice(HEADER);
    let ncols = i16::try_from(R::TABLE.columns.len()).expect("fewer than 32768 columns");
    for row in rows {
        sink.buf.extend_from_slice(&ncols.to_be_bytes());
        row.write(&mut sink);
        if sink.buf.len() >= FLUSH_AT {
            out.write_all(&sink.buf)?;
            sink.buf.clear();
        }
    }
    sink.buf.extend_from_slice(&(-1i16).to_be_bytes());
    out.write_all(&sink.buf)
}

struct BinarySink {
    buf: Vec<u8>,
}

impl BinarySink {
    fn field(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        self.buf.extend_from_slice(bytes);
    }

    /// Writes a field whose bytes `write` appends, patching the length in afterwards.
    fn field_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        let at = self.buf.len();
        self.buf.extend_from_slice(&[0; 4]);
        write(&mut self.buf);
        let len = (self.buf.len() - at - 4) as i32;
        self.buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
    }
}

impl<'a> ColumnWriter<'a> for BinarySink {
    fn null(&mut self) {
        self.buf.extend_from_slice(&(-1i32).to_be_bytes());
    }
    fn text(&mut self, v: &'a str) {
        self.field(v.as_bytes());
    }
    fn int(&mut self, v: i64) {
        self.field(&v.to_be_bytes());
    }
    fn int4(&mut self, v: i32) {
        self.field(&v.to_be_bytes());
    }
    fn decimal(&mut self, v: &Decimal) {
        self.field_with(|buf| push_numeric(buf, v));
    }
    fn timestamp(&mut self, v: &DateTime<Utc>) {
        self.field(&(v.timestamp_micros() - PG_EPOCH_MICROS).to_be_bytes());
    }
    fn date(&mut self, v: NaiveDate) {
        let days =
            v.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32;
        self.field(&(days - PG_EPOCH_DAYS).to_be_bytes());
    }
    fn json(&mut self, v: &serde_json::Value) {
        self.field_with(|buf| {
            buf.push(1); // jsonb binary format version
            serde_json::to_writer(buf, v).expect("a JSON value serializes");
        });
    }
    fn json_text(&mut self, v: &str) {
        self.field_with(|buf| {
            buf.push(1); // jsonb binary format version
            buf.extend_from_slice(v.as_bytes());
        });
    }
}

/// Appends `d` in PostgreSQL's binary NUMERIC layout: digit count, weight (in base-10000
/// digits, of the first digit), sign, display scale, then base-10000 digits.
pub(crate) fn push_numeric(buf: &mut Vec<u8>, d: &Decimal) {
    let mut scale = d.scale() as usize;
    let mut mantissa = d.mantissa().unsigned_abs();
    while scale > 0 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        scale -= 1;
    }
    let negative = d.is_sign_negative() && mantissa != 0;
    // Decimal digits of the mantissa, most significant first.
    let mut digits = Vec::with_capacity(40);
    let mut m = mantissa;
    while m > 0 {
        digits.push((m % 10) as u8);
        m /= 10;
    }
    digits.reverse();
    let int_len = digits.len().saturating_sub(scale);
    let frac_len = scale;
    // Pad so the integer part and the fraction are whole groups of 4 decimal digits.
    let lead = (4 - int_len % 4) % 4;
    let trail = (4 - frac_len % 4) % 4;
    let mut padded = vec![0u8; lead];
    padded.extend(std::iter::repeat_n(0u8, (frac_len + int_len).saturating_sub(digits.len())));
    padded.extend_from_slice(&digits);
    padded.extend(std::iter::repeat_n(0u8, trail));
    let mut groups: Vec<i16> =
        padded.chunks(4).map(|c| c.iter().fold(0i16, |acc, &x| acc * 10 + i16::from(x))).collect();
    let mut weight = ((int_len + lead) / 4) as i16 - 1;
    while groups.first() == Some(&0) {
        groups.remove(0);
        weight -= 1;
    }
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    buf.extend_from_slice(&(groups.len() as i16).to_be_bytes());
    buf.extend_from_slice(&weight.to_be_bytes());
    buf.extend_from_slice(&(if negative { 0x4000u16 } else { 0 }).to_be_bytes());
    buf.extend_from_slice(&(scale as u16).to_be_bytes());
    for g in groups {
        buf.extend_from_slice(&g.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(s: &str) -> (i16, i16, u16, u16, Vec<i16>) {
        let mut buf = Vec::new();
        push_numeric(&mut buf, &s.parse().unwrap());
        let w = |i: usize| i16::from_be_bytes([buf[i], buf[i + 1]]);
        let n = w(0) as usize;
        (w(0), w(2), w(4) as u16, w(6) as u16, (0..n).map(|k| w(8 + 2 * k)).collect())
    }

    #[test]
    fn numerics_match_postgres_layout() {
        assert_eq!(numeric("12.5"), (2, 0, 0, 1, vec![12, 5000]));
        assert_eq!(numeric("123456.78"), (3, 1, 0, 2, vec![12, 3456, 7800]));
        assert_eq!(numeric("-0.0001"), (1, -1, 0x4000, 4, vec![1]));
        assert_eq!(numeric("0.00000001"), (1, -2, 0, 8, vec![1]));
        assert_eq!(numeric("10000"), (1, 1, 0, 0, vec![1]));
        assert_eq!(numeric("50.00"), (1, 0, 0, 0, vec![50]));
        assert_eq!(numeric("0"), (0, 0, 0, 0, vec![]));
        assert_eq!(numeric("-0.00"), (0, 0, 0, 0, vec![]));
    }
}
