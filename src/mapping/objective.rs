//! Campaign objective → platform objective type.
//!
//! The spec's table covers the six ODAX objectives; campaigns created before ODAX (2022) still
//! read with the legacy values, which map to the ODAX objective Meta migrated them to:
//!
//! | type | objectives |
//! |---|---|
//! | awareness | OUTCOME_AWARENESS, BRAND_AWARENESS, REACH, LOCAL_AWARENESS, STORE_VISITS, VIDEO_VIEWS |
//! | consideration | OUTCOME_TRAFFIC, OUTCOME_ENGAGEMENT, OUTCOME_APP_PROMOTION, LINK_CLICKS, POST_ENGAGEMENT, PAGE_LIKES, EVENT_RESPONSES, MESSAGES, APP_INSTALLS, OFFER_CLAIMS |
//! | conversion | OUTCOME_LEADS, OUTCOME_SALES, CONVERSIONS, LEAD_GENERATION, PRODUCT_CATALOG_SALES |
//! | other | any other value (kept raw in `objective`) |
//!
//! An absent objective maps to `None`, not `other`.

/// Platform objective type for a campaign `objective`; `None` when the campaign has none.
pub fn objective_type(objective: Option<&str>) -> Option<&'static str> {
    Some(match objective? {
        "OUTCOME_AWARENESS" | "BRAND_AWARENESS" | "REACH" | "LOCAL_AWARENESS" | "STORE_VISITS"
        | "VIDEO_VIEWS" => "awareness",
        "OUTCOME_TRAFFIC"
        | "OUTCOME_ENGAGEMENT"
        | "OUTCOME_APP_PROMOTION"
        | "LINK_CLICKS"
        | "POST_ENGAGEMENT"
        | "PAGE_LIKES"
        | "EVENT_RESPONSES"
        | "MESSAGES"
        | "APP_INSTALLS"
        | "OFFER_CLAIMS" => "consideration",
        "OUTCOME_LEADS" | "OUTCOME_SALES" | "CONVERSIONS" | "LEAD_GENERATION" | "PRODUCT_CATALOG_SALES" => {
            "conversion"
        }
        _ => "other",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_objective() {
        let cases = [
            // ODAX
            ("OUTCOME_AWARENESS", "awareness"),
            ("OUTCOME_TRAFFIC", "consideration"),
            ("OUTCOME_ENGAGEMENT", "consideration"),
            ("OUTCOME_APP_PROMOTION", "consideration"),
            ("OUTCOME_LEADS", "conversion"),
            ("OUTCOME_SALES", "conversion"),
            // legacy
            ("BRAND_AWARENESS", "awareness"),
            ("REACH", "awareness"),
            ("LOCAL_AWARENESS", "awareness"),
            ("STORE_VISITS", "awareness"),
            ("VIDEO_VIEWS", "awareness"),
            ("LINK_CLICKS", "consideration"),
            ("POST_ENGAGEMENT", "consideration"),
            ("PAGE_LIKES", "consideration"),
            ("EVENT_RESPONSES", "consideration"),
            ("MESSAGES", "consideration"),
            ("APP_INSTALLS", "consideration"),
            ("OFFER_CLAIMS", "consideration"),
            ("CONVERSIONS", "conversion"),
            ("LEAD_GENERATION", "conversion"),
            ("PRODUCT_CATALOG_SALES", "conversion"),
            // anything else
            ("OUTCOME_SOMETHING_NEW", "other"),
            ("outcome_sales", "other"),
            ("", "other"),
        ];
        for (objective, want) in cases {
            assert_eq!(objective_type(Some(objective)), Some(want), "{objective}");
        }
        assert_eq!(objective_type(None), None);
    }
}
