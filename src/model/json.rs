//! JSON kept as compact text (the raw action arrays of insights rows).

use serde::{Deserialize, Serialize};

/// JSON kept as its compact text. An insights row carries three action arrays; as parsed
/// `serde_json::Value`s they cost several KB per row (a map node per entry), as text a few
/// hundred bytes, and the warehouse writes text anyway. Equality is semantic, so a value read
/// back from PostgreSQL's normalised JSONB equals the one written.
#[derive(Clone)]
pub struct JsonText(String);

impl JsonText {
    /// The compact text of `value`.
    pub fn from_value(value: &serde_json::Value) -> Self {
        Self(serde_json::to_string(value).expect("a JSON value serializes"))
    }

    /// Checks that `text` is JSON and keeps it as it is.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str::<serde::de::IgnoredAny>(text)?;
        Ok(Self(text.to_string()))
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The parsed value.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::from_str(&self.0).expect("JsonText holds valid JSON")
    }
}

impl From<serde_json::Value> for JsonText {
    fn from(value: serde_json::Value) -> Self {
        Self::from_value(&value)
    }
}

impl PartialEq for JsonText {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || self.to_value() == other.to_value()
    }
}

impl std::fmt::Debug for JsonText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for JsonText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(Self::from)
    }
}
