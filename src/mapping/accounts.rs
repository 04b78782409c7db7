//! Ad account payloads (`/me/adaccounts`, `/<business>/owned_ad_accounts`, `/act_<id>`).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::error::{MappingError, ValueError};
use super::status::account_status_name;
use super::wire::{Obj, parse_count};
use crate::model::AdAccountRow;

/// `fields=` for ad accounts: exactly what [`map_ad_account`] reads.
pub const AD_ACCOUNT_FIELDS: &str =
    "id,account_id,name,account_status,currency,timezone_name,business,amount_spent,created_time";

/// Maps one ad account. `amount_spent` is in the account's own currency's minor units.
pub fn map_ad_account(v: &Value, synced_at: DateTime<Utc>) -> Result<AdAccountRow, MappingError> {
    let o = Obj::new(v, "ad account")?;
    // `account_id` is the bare number; `id` is `act_<number>` and is stripped the same way.
    let account_id =
        if o.get("account_id").is_some() { o.required_id("account_id")? } else { o.required_id("id")? };
    let currency = o.required_string("currency")?;
    let code_text = o.text("account_status")?.ok_or_else(|| o.missing("account_status"))?;
    let code: i32 = parse_count(&code_text)
        .and_then(|c| i32::try_from(c).map_err(|_| ValueError::Integer(code_text.to_string())))
        .map_err(|e| o.invalid("account_status", e))?;
    Ok(AdAccountRow {
        name: o.required_string("name")?,
        timezone_name: o.required_string("timezone_name")?,
        account_status: account_status_name(code.into()).to_owned(),
        account_status_code: code,
        business_id: o.nested_id("business")?,
        amount_spent: o.minor("amount_spent", &currency)?,
        created_time: o.timestamp("created_time")?,
        account_id,
        currency,
        synced_at,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use serde_json::json;

    use super::*;

    fn at() -> DateTime<Utc> {
        "2026-09-04T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn full_account() {
        let v = json!({
            "id": "act_1234567890", "account_id": "1234567890", "name": "Acme US",
            "account_status": 1, "currency": "USD", "timezone_name": "America/Los_Angeles",
            "timezone_offset_hours_utc": -7, "business": {"id": "987", "name": "Acme"},
            "amount_spent": "1234567", "created_time": "2024-03-12T15:02:47-0700",
            "capabilities": ["X"], "disable_reason": 0
        });
        let row = map_ad_account(&v, at()).unwrap();
        assert_eq!(
            row,
            AdAccountRow {
                account_id: "1234567890".into(),
                name: "Acme US".into(),
                currency: "USD".into(),
                timezone_name: "America/Los_Angeles".into(),
                account_status: "active".into(),
                account_status_code: 1,
                business_id: Some("987".into()),
                amount_spent: Some(Decimal::new(1_234_567, 2)),
                created_time: Some("2024-03-12T22:02:47Z".parse().unwrap()),
                synced_at: at(),
            }
        );
    }

    #[test]
    fn minimal_account_and_code_forms() {
        let cases = [(json!("2"), "disabled", 2), (json!(101), "closed", 101), (json!("55"), "unknown", 55)];
        for (code, name, num) in cases {
            let v = json!({"id": "act_77", "name": "JP", "account_status": code, "currency": "JPY",
                           "timezone_name": "Asia/Tokyo", "amount_spent": "5000"});
            let row = map_ad_account(&v, at()).unwrap();
            assert_eq!(row.account_id, "77", "act_ stripped from id");
            assert_eq!((row.account_status.as_str(), row.account_status_code), (name, num));
            assert_eq!(row.amount_spent, Some(Decimal::from(5000)));
            assert_eq!((row.business_id, row.created_time), (None, None));
        }
    }

    #[test]
    fn malformed_accounts_are_errors() {
        let base = json!({"id": "act_9", "account_id": "9", "name": "n", "account_status": 1,
                          "currency": "USD", "timezone_name": "UTC"});
        let with = |k: &str, val: Value| {
            let mut v = base.clone();
            v[k] = val;
            map_ad_account(&v, at()).unwrap_err().to_string()
        };
        assert_eq!(
            with("amount_spent", json!("12.34")),
            "ad account act_9: field `amount_spent`: not an integer amount of minor currency units: \"12.34\""
        );
        assert_eq!(
            with("account_status", json!("ACTIVE")),
            "ad account act_9: field `account_status`: not an integer: \"ACTIVE\""
        );
        assert_eq!(
            with("account_status", json!(9_999_999_999_i64)),
            "ad account act_9: field `account_status`: not an integer: \"9999999999\""
        );
        assert_eq!(with("currency", Value::Null), "ad account act_9: required field `currency` is missing");
        assert_eq!(
            with("created_time", json!("soon")),
            "ad account act_9: field `created_time`: not a timestamp like 2026-09-03T10:00:00-0700: \"soon\""
        );
        assert!(map_ad_account(&json!("act_9"), at()).is_err());
    }
}
