//! Typed reads of Graph payload fields.
//!
//! Payloads are read field by field from a `serde_json::Value` rather than through derived
//! serde structs, because a derived deserializer's error names neither the field nor the object
//! id, and the sync engine must be able to log and skip one bad object precisely. The rules:
//! unknown fields are ignored (Meta adds fields); absent and `null` are the same; numbers Meta
//! documents as strings are also accepted as JSON numbers; a value of the wrong JSON type is an
//! error, never a silent `None`.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::error::{MappingError, ValueError, clip};
use super::money::{minor_to_major, parse_decimal};
use super::time::{parse_date, parse_timestamp};

/// One JSON object being mapped, labelled with its kind and id for error messages.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    object: &'static str,
    id: Cow<'a, str>,
}

impl<'a> Obj<'a> {
    /// Wraps `v`, labelling errors with `object` and the payload's `id` (or `?`).
    pub(crate) fn new(v: &'a Value, object: &'static str) -> Result<Self, MappingError> {
        let label = |v: Option<&Value>| match v {
            Some(Value::String(s)) => clip(s),
            Some(Value::Number(n)) => n.to_string(),
            _ => "?".to_owned(),
        };
        match v {
            Value::Object(map) => Ok(Obj { map, object, id: Cow::Owned(label(map.get("id"))) }),
            other => Err(MappingError::NotAnObject { object, id: label(other.get("id")) }),
        }
    }

    /// Replaces the id used in error messages (insights rows have no `id` field).
    pub(crate) fn relabel(&mut self, id: String) {
        self.id = Cow::Owned(id);
    }

    /// The error for an absent required field.
    pub(crate) fn missing(&self, field: impl Into<String>) -> MappingError {
        MappingError::Missing { object: self.object, id: self.id.to_string(), field: field.into() }
    }

    /// The error for a malformed field.
    pub(crate) fn invalid(&self, field: impl Into<String>, source: ValueError) -> MappingError {
        MappingError::Invalid { object: self.object, id: self.id.to_string(), field: field.into(), source }
    }

    /// The error for a payload `account_id` that is not the requested account.
    pub(crate) fn foreign_account(&self, payload: String, requested: String) -> MappingError {
        MappingError::ForeignAccount { object: self.object, id: self.id.to_string(), payload, requested }
    }

    /// The field's value; `null` counts as absent.
    pub(crate) fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    /// A string field.
    pub(crate) fn string(&self, field: &str) -> Result<Option<String>, MappingError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.wrong_type(field, "a string", v)),
        }
    }

    /// A required string field.
    pub(crate) fn required_string(&self, field: &str) -> Result<String, MappingError> {
        self.string(field)?.ok_or_else(|| self.missing(field))
    }

    /// A scalar Meta sends as a string but which may arrive as a JSON number (ids, counts).
    pub(crate) fn text(&self, field: &str) -> Result<Option<Cow<'a, str>>, MappingError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(Cow::Borrowed(s))),
            Some(Value::Number(n)) => Ok(Some(Cow::Owned(n.to_string()))),
            Some(v) => Err(self.wrong_type(field, "a string or number", v)),
        }
    }

    /// A required id; `act_` is stripped so ad account ids are always bare numbers.
    pub(crate) fn required_id(&self, field: &str) -> Result<String, MappingError> {
        let t = self.text(field)?.ok_or_else(|| self.missing(field))?;
        let id = t.strip_prefix("act_").unwrap_or(&t);
        // `""`, `"act_"` or `"act_act_1"` would key a row by nothing or keep an `act_`.
        if id.is_empty() || id.starts_with("act_") {
            return Err(self.invalid(field, ValueError::Rule("is not an id")));
        }
        Ok(id.to_owned())
    }

    /// `field.id` of a nested reference such as `business` or `creative`.
    pub(crate) fn nested_id(&self, field: &str) -> Result<Option<String>, MappingError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Object(map)) => {
                let inner = Obj { map, object: self.object, id: Cow::Borrowed(&self.id) };
                inner.text("id").map(|t| t.map(Cow::into_owned)).map_err(|e| self.rename(e, field))
            }
            Some(v) => Err(self.wrong_type(field, "an object with an id", v)),
        }
    }

    /// A decimal in major units.
    pub(crate) fn decimal(&self, field: &str) -> Result<Option<Decimal>, MappingError> {
        self.parse(field, parse_decimal)
    }

    /// An integer count.
    pub(crate) fn count(&self, field: &str) -> Result<Option<i64>, MappingError> {
        self.parse(field, parse_count)
    }

    /// Money in minor units of `currency`, returned in currency units.
    pub(crate) fn minor(&self, field: &str, currency: &str) -> Result<Option<Decimal>, MappingError> {
        self.parse(field, |s| minor_to_major(s, currency))
    }

    /// A timestamp, in UTC.
    pub(crate) fn timestamp(&self, field: &str) -> Result<Option<DateTime<Utc>>, MappingError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => parse_timestamp(s).map(Some).map_err(|e| self.invalid(field, e)),
            Some(v) => Err(self.wrong_type(field, "a timestamp string", v)),
        }
    }

    /// A `YYYY-MM-DD` date.
    pub(crate) fn date(&self, field: &str) -> Result<Option<NaiveDate>, MappingError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => parse_date(s).map(Some).map_err(|e| self.invalid(field, e)),
            Some(v) => Err(self.wrong_type(field, "a date string", v)),
        }
    }

    /// Sums `value` over the entries of an `AdsActionStats` array (`actions`, `action_values`,
    /// `purchase_roas`) whose `action_type` is in `types`; `None` when the array is absent or no
    /// entry matches. Values of entries that do not match are not read.
    pub(crate) fn sum_action_stats(
        &self,
        field: &str,
        types: &[String],
    ) -> Result<Option<Decimal>, MappingError> {
        let items = match self.get(field) {
            None => return Ok(None),
            Some(Value::Array(items)) => items,
            Some(v) => return Err(self.wrong_type(field, "an array of action stats", v)),
        };
        let mut sum: Option<Decimal> = None;
        for (i, item) in items.iter().enumerate() {
            let at = |e| self.rename(e, &format!("{field}[{i}]"));
            let Value::Object(map) = item else {
                return Err(self.wrong_type(&format!("{field}[{i}]"), "an object", item));
            };
            let entry = Obj { map, object: self.object, id: Cow::Borrowed(&self.id) };
            // Compared in place: this runs for every entry of every row.
            let action_type = match entry.get("action_type") {
                Some(Value::String(s)) => s.as_str(),
                None => return Err(at(entry.missing("action_type"))),
                Some(v) => return Err(at(entry.wrong_type("action_type", "a string", v))),
            };
            if !types.iter().any(|t| t.as_str() == action_type) {
                continue;
            }
            let value = entry.decimal("value").map_err(at)?.ok_or_else(|| at(entry.missing("value")))?;
            let total = sum.unwrap_or_default().checked_add(value);
            sum = Some(total.ok_or_else(|| at(entry.invalid("value", ValueError::Rule("sum overflows"))))?);
        }
        Ok(sum)
    }

    fn parse<T>(
        &self,
        field: &str,
        f: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Result<Option<T>, MappingError> {
        match self.text(field)? {
            None => Ok(None),
            Some(t) => f(&t).map(Some).map_err(|e| self.invalid(field, e)),
        }
    }

    fn wrong_type(&self, field: &str, expected: &'static str, got: &Value) -> MappingError {
        self.invalid(field, ValueError::WrongType { expected, got: json_type(got) })
    }

    /// Prefixes the field of an error raised on a nested object (`id` → `creative.id`).
    fn rename(&self, e: MappingError, parent: &str) -> MappingError {
        match e {
            MappingError::Invalid { field, source, .. } => self.invalid(format!("{parent}.{field}"), source),
            MappingError::Missing { field, .. } => self.missing(format!("{parent}.{field}")),
            other => other,
        }
    }
}

/// Parses an integer count, refusing decimals like `"12.0"`.
pub(crate) fn parse_count(s: &str) -> Result<i64, ValueError> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::Integer(clip(s)));
    }
    s.parse().map_err(|_| ValueError::Integer(clip(s)))
}

/// JSON type name for error messages.
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_strings_numbers_and_nulls() {
        let v = json!({"id": 42, "name": "n", "impressions": 7, "reach": "9", "spend": 1.5,
                       "gone": null, "business": {"id": "b1", "name": "B"}, "creative": {}});
        let o = Obj::new(&v, "thing").unwrap();
        assert_eq!(o.required_id("id").unwrap(), "42");
        assert_eq!(o.string("name").unwrap().as_deref(), Some("n"));
        assert_eq!(o.count("impressions").unwrap(), Some(7));
        assert_eq!(o.count("reach").unwrap(), Some(9));
        assert_eq!(o.decimal("spend").unwrap(), Some(Decimal::new(15, 1)));
        assert_eq!(o.string("gone").unwrap(), None);
        assert_eq!(o.decimal("absent").unwrap(), None);
        assert_eq!(o.nested_id("business").unwrap().as_deref(), Some("b1"));
        assert_eq!(o.nested_id("creative").unwrap(), None);
    }

    #[test]
    fn empty_ids_are_refused() {
        // Found by the entity_row fuzz target: `"account_id":""` mapped to an empty account id.
        for bad in ["", "act_", "act_act_1"] {
            let v = json!({ "id": "1", "account_id": bad });
            let o = Obj::new(&v, "thing").unwrap();
            assert!(o.required_id("account_id").is_err(), "{bad:?}");
        }
        let v = json!({ "account_id": "act_7" });
        assert_eq!(Obj::new(&v, "thing").unwrap().required_id("account_id").unwrap(), "7");
    }

    #[test]
    fn wrong_types_name_field_and_id() {
        let v = json!({"id": "5", "name": 3, "clicks": true, "business": "b1", "creative": {"id": []}});
        let o = Obj::new(&v, "thing").unwrap();
        let msg = |e: MappingError| e.to_string();
        assert_eq!(
            msg(o.string("name").unwrap_err()),
            "thing 5: field `name`: expected a string, got a number"
        );
        assert_eq!(
            msg(o.count("clicks").unwrap_err()),
            "thing 5: field `clicks`: expected a string or number, got a boolean"
        );
        assert_eq!(
            msg(o.nested_id("business").unwrap_err()),
            "thing 5: field `business`: expected an object with an id, got a string"
        );
        assert_eq!(
            msg(o.nested_id("creative").unwrap_err()),
            "thing 5: field `creative.id`: expected a string or number, got an array"
        );
        assert_eq!(
            msg(o.required_string("title").unwrap_err()),
            "thing 5: required field `title` is missing"
        );
        assert!(matches!(Obj::new(&json!([1]), "thing"), Err(MappingError::NotAnObject { .. })));
    }

    #[test]
    fn counts() {
        for (s, want) in [("0", 0), ("361324", 361_324), ("-1", -1)] {
            assert_eq!(parse_count(s), Ok(want));
        }
        for bad in ["", "1.0", "1e3", "abc", "+1", "99999999999999999999"] {
            assert_eq!(parse_count(bad), Err(ValueError::Integer(bad.into())), "{bad:?}");
        }
    }
}
