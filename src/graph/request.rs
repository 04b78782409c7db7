//! What callers ask for: one Graph request, independent of how it travels (alone, in a batch, as a
//! page of a listing).

pub use reqwest::Method;

/// Which budget a call draws from (`rate_limit.calls_per_hour` vs `insights_per_hour`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallKind {
    /// Entities, accounts, report-run status: the ads-management budget.
    #[default]
    Management,
    /// `/insights` edges: both the calls and the insights budgets.
    Insights,
}

/// One Graph API request. `path` is relative to the versioned root (`act_1/campaigns`,
/// `/123/insights`); `params` go in the query string (GET, DELETE) or the form body (POST).
/// Never put the access token in `params`: the client sends it only as a bearer header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphRequest {
    /// HTTP method.
    pub method: Method,
    /// Path under the versioned root.
    pub path: String,
    /// Query or form parameters, in order.
    pub params: Vec<(String, String)>,
    /// The ad account the call is for: its budgets and pacing scope (`act_` prefix optional).
    pub account_id: Option<String>,
    /// Which budget it draws from.
    pub kind: CallKind,
    /// Hand a listing's rows back as JSON strings holding each row's raw text instead of parsed
    /// trees: a 5,000-row insights page is a few MB of text but tens of MB parsed, and the
    /// caller parses one row at a time as it maps them.
    pub lean_rows: bool,
}

impl GraphRequest {
    /// A GET of `path`.
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            params: Vec::new(),
            account_id: None,
            kind: CallKind::Management,
            lean_rows: false,
        }
    }

    /// Ask for lean rows (see [`GraphRequest::lean_rows`]).
    pub fn with_lean_rows(mut self) -> Self {
        self.lean_rows = true;
        self
    }

    /// A POST to `path`.
    pub fn post(path: impl Into<String>) -> Self {
        Self { method: Method::POST, ..Self::get(path) }
    }

    /// Add a parameter.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((key.into(), value.into()));
        self
    }

    /// Set the ad account (budgets and pacing scope).
    pub fn account(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Mark as an insights call.
    pub fn insights(mut self) -> Self {
        self.kind = CallKind::Insights;
        self
    }

    /// The value of a parameter (the last one when repeated).
    pub fn get_param(&self, key: &str) -> Option<&str> {
        self.params.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Replace every occurrence of a parameter with one value (`None` removes it).
    pub fn set_param(&mut self, key: &str, value: Option<String>) {
        self.params.retain(|(k, _)| k != key);
        if let Some(v) = value {
            self.params.push((key.to_string(), v));
        }
    }

    /// The page size asked for, if any.
    pub fn limit(&self) -> Option<u32> {
        self.get_param("limit").and_then(|l| l.parse().ok())
    }

    /// Parameters go in the query string (not a form body).
    pub fn params_in_query(&self) -> bool {
        !matches!(self.method, Method::POST | Method::PUT)
    }

    /// `path` without surrounding slashes, as joined to the versioned root and used in batches.
    pub fn relative_path(&self) -> &str {
        self.path.trim_matches('/')
    }

    /// Whether this draws from the insights budget.
    pub fn is_insights(&self) -> bool {
        self.kind == CallKind::Insights
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_replace_and_read_back() {
        let mut r =
            GraphRequest::get("/act_1/ads/").param("limit", "100").param("fields", "id").account("act_1");
        assert_eq!(r.limit(), Some(100));
        r.set_param("limit", Some("50".into()));
        assert_eq!(r.limit(), Some(50));
        assert_eq!(r.params.iter().filter(|(k, _)| k == "limit").count(), 1);
        r.set_param("after", None);
        assert_eq!(r.relative_path(), "act_1/ads");
        assert!(r.params_in_query());
        assert!(!GraphRequest::post("act_1/insights").params_in_query());
        assert!(GraphRequest::get("x").insights().is_insights());
    }
}
