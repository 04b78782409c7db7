//! `sort` of insights rows (docs/graph-api.md §5.2): one entry `<field>_ascending` or
//! `<field>_descending` (ascending when no suffix), or `actions:<action_type>_…` to sort by
//! one action's count; as a comma list or a JSON array of at most one element.

use super::derived;
use super::metrics::Counts;
use crate::sim::errors::ApiError;
use crate::sim::fields::known::{self, List};
use crate::sim::params;

/// What rows are ordered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SortKey {
    /// An insights field.
    Field(String),
    /// The count of one action type in `actions`.
    Action(String),
}

/// A parsed `sort`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// Parses `sort`; `None` when absent or empty.
pub(crate) fn parse(raw: Option<&str>) -> Result<Option<Sort>, ApiError> {
    let list = params::list_opt(raw, "sort")?;
    if list.len() > 1 {
        return Err(ApiError::invalid("param sort must have at most 1 element"));
    }
    let Some(entry) = list.into_iter().next() else { return Ok(None) };
    let (name, descending) = if let Some(n) = entry.strip_suffix("_descending") {
        (n, true)
    } else {
        (entry.strip_suffix("_ascending").unwrap_or(&entry), false)
    };
    let key = match name.strip_prefix("actions:") {
        Some(t) if !t.is_empty() => SortKey::Action(t.to_string()),
        _ if known::has(List::AdsInsights, name) => SortKey::Field(name.to_string()),
        _ => return Err(ApiError::invalid(&format!("Sort field {name} is not valid"))),
    };
    Ok(Some(Sort { key, descending }))
}

impl Sort {
    /// The value a row is ordered by; rows without a value (a field the simulator does not
    /// serve, an action the row lacks) count as 0.
    pub(crate) fn value(&self, c: &Counts, offset: u64) -> f64 {
        let num = |s: Option<String>| s.and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        match &self.key {
            SortKey::Action(t) => {
                derived::actions(c).into_iter().find(|(a, _)| a == t).map_or(0.0, |(_, n)| n as f64)
            }
            SortKey::Field(f) => match f.as_str() {
                "impressions" => c.impressions as f64,
                "clicks" => c.clicks as f64,
                "reach" => c.reach() as f64,
                "inline_link_clicks" => c.link_click as f64,
                "spend" => c.spend as f64,
                "cpm" => num(Some(derived::cpm(c, offset))),
                "cpc" => num(derived::cpc(c, offset)),
                "ctr" => num(Some(derived::ctr(c))),
                "frequency" => num(Some(derived::frequency(c, c.reach()))),
                _ => 0.0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_forms() {
        let s = parse(Some("spend_descending")).unwrap().unwrap();
        assert_eq!(s, Sort { key: SortKey::Field("spend".into()), descending: true });
        assert_eq!(parse(Some(r#"["spend_descending"]"#)).unwrap(), Some(s));
        let a = parse(Some("actions:link_click")).unwrap().unwrap();
        assert_eq!(a, Sort { key: SortKey::Action("link_click".into()), descending: false });
        assert!(parse(Some("colour_ascending")).is_err());
        assert!(parse(Some("spend,reach")).is_err());
        assert_eq!(parse(Some("[]")).unwrap(), None);
    }
}
