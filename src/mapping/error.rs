//! Errors for payloads that do not have the shape mapping expects. Every error names the object
//! kind, its id and the field, so a log line points straight at the offending Graph object.

/// Why a single value could not be read. Carries (a clipped copy of) the offending text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// A budget, bid or `amount_spent` that is not an integer count of minor units.
    #[error("not an integer amount of minor currency units: {0:?}")]
    MinorUnits(String),
    /// A metric or money value that is not a decimal number.
    #[error("not a decimal number: {0:?}")]
    Decimal(String),
    /// A count (impressions, clicks, reach) or code that is not an integer in range.
    #[error("not an integer: {0:?}")]
    Integer(String),
    /// A timestamp that is not ISO 8601 with an offset (`2026-09-03T10:00:00-0700`).
    #[error("not a timestamp like 2026-09-03T10:00:00-0700: {0:?}")]
    Timestamp(String),
    /// A date that is not `YYYY-MM-DD`.
    #[error("not a date like 2026-09-03: {0:?}")]
    Date(String),
    /// A JSON value of the wrong type (an object where a string belongs, ...).
    #[error("expected {expected}, got {got}")]
    WrongType {
        /// What the field should hold.
        expected: &'static str,
        /// The JSON type that arrived.
        got: &'static str,
    },
    /// A value that parses but breaks a rule mapping relies on.
    #[error("{0}")]
    Rule(&'static str),
}

/// A Graph payload that cannot be mapped to a warehouse row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// The payload is not a JSON object.
    #[error("{object} {id}: payload is not a JSON object")]
    NotAnObject {
        /// Kind of object (`campaign`, `adset insights`, ...).
        object: &'static str,
        /// Object id, or `?` when unknown.
        id: String,
    },
    /// A field the row cannot do without is absent or null.
    #[error("{object} {id}: required field `{field}` is missing")]
    Missing {
        /// Kind of object.
        object: &'static str,
        /// Object id, or `?` when unknown.
        id: String,
        /// Field name, e.g. `effective_status` or `actions[2].value`.
        field: String,
    },
    /// A field is present but its value is malformed.
    #[error("{object} {id}: field `{field}`: {source}")]
    Invalid {
        /// Kind of object.
        object: &'static str,
        /// Object id, or `?` when unknown.
        id: String,
        /// Field name.
        field: String,
        /// What is wrong with the value.
        #[source]
        source: ValueError,
    },
    /// The payload's `account_id` names another ad account than the one the request was for:
    /// storing it would file the row under an account this sync did not ask about.
    #[error("{object} {id}: `account_id` is {payload} but the request was for account {requested}")]
    ForeignAccount {
        /// Kind of object.
        object: &'static str,
        /// Object id, or `?` when unknown.
        id: String,
        /// The account id the payload claims (without `act_`).
        payload: String,
        /// The account the request was for (without `act_`).
        requested: String,
    },
}

/// Copies at most 64 characters of `s` into an error, so a huge bad value cannot flood a log.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 64;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_object_id_and_field() {
        let e = MappingError::Invalid {
            object: "campaign",
            id: "120".into(),
            field: "daily_budget".into(),
            source: ValueError::MinorUnits("12.5x".into()),
        };
        assert_eq!(
            e.to_string(),
            "campaign 120: field `daily_budget`: not an integer amount of minor currency units: \"12.5x\""
        );
        let e = MappingError::Missing { object: "ad", id: "7".into(), field: "adset_id".into() };
        assert_eq!(e.to_string(), "ad 7: required field `adset_id` is missing");
    }

    #[test]
    fn clip_bounds_long_values() {
        assert_eq!(clip("short"), "short");
        let long = "é".repeat(100);
        assert_eq!(clip(&long).chars().count(), 65);
    }
}
