//! Graph API error bodies and statuses (docs/graph-api.md §1): HTTP 400 for almost everything, 500 for
//! code 1, 403 for permission errors; `message` prefixed `(#code)` where Meta does.

use super::json::Obj;

/// One error the simulator answers with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub http: u16,
    pub code: i64,
    pub subcode: Option<i64>,
    pub message: String,
    pub kind: &'static str,
    pub transient: Option<bool>,
    pub user_title: Option<String>,
    pub user_msg: Option<String>,
}

const RATE_DOC: &str =
    "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.";

impl ApiError {
    /// An `OAuthException` with HTTP 400.
    pub(crate) fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            http: 400,
            code,
            subcode: None,
            message: message.into(),
            kind: "OAuthException",
            transient: None,
            user_title: None,
            user_msg: None,
        }
    }

    /// Sets the subcode.
    pub(crate) fn sub(mut self, subcode: i64) -> Self {
        self.subcode = Some(subcode);
        self
    }

    /// Sets the HTTP status.
    pub(crate) fn http(mut self, status: u16) -> Self {
        self.http = status;
        self
    }

    /// Sets `is_transient`.
    pub(crate) fn transient(mut self, t: bool) -> Self {
        self.transient = Some(t);
        self
    }

    /// Sets `type`.
    pub(crate) fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    /// `(#100) <msg>`.
    pub(crate) fn invalid(msg: &str) -> Self {
        Self::new(100, format!("(#100) {msg}"))
    }

    /// 100/33: unknown object, or one this token cannot see.
    pub(crate) fn unsupported_get(id: &str) -> Self {
        Self::new(
            100,
            format!(
                "Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing \
                 permissions, or does not support this operation. Please read the Graph API documentation at \
                 https://developers.facebook.com/docs/graph-api"
            ),
        )
        .sub(33)
        .kind("GraphMethodException")
    }

    /// Unknown path or method on a node.
    pub(crate) fn unknown_path(path: &str) -> Self {
        Self::new(2500, format!("Unknown path components: {path}"))
    }

    /// HTTP 500, code 1: the insights "too much data" answer connectors halve `limit` on.
    pub(crate) fn reduce_data() -> Self {
        Self::new(1, "Please reduce the amount of data you're asking for, then retry your request").http(500)
    }

    /// 100/1487534: the insights data-per-call limit (docs/graph-api.md §1.4).
    pub(crate) fn data_per_call() -> Self {
        let mut e = Self::invalid(
            "Too much data was requested in this call: reduce the date range, the number of objects or fields, or use a coarser level or an async report run.",
        )
        .sub(1487534);
        e.user_title = Some("Too much data".to_string());
        e
    }

    /// HTTP 500, code 1, subcode 99.
    pub(crate) fn unknown() -> Self {
        Self::new(1, "An unknown error occurred").sub(99).http(500).transient(true)
    }

    /// Code 2, transient.
    pub(crate) fn service() -> Self {
        Self::new(2, "(#2) Service temporarily unavailable").transient(true)
    }

    /// Code 4: app over its budget.
    pub(crate) fn app_throttled() -> Self {
        Self::new(4, "(#4) Application request limit reached").sub(1504022).transient(true)
    }

    /// Code 17: user (token) over its budget.
    pub(crate) fn user_throttled() -> Self {
        Self::new(17, "(#17) User request limit reached").sub(2446079).transient(true)
    }

    /// Code 613: custom (burst) limit of an ad account.
    pub(crate) fn custom_throttled() -> Self {
        Self::new(
            613,
            "(#613) There have been too many calls from this ad-account. Please wait a bit and try again.",
        )
        .sub(1487742)
        .transient(true)
    }

    /// 80000: ads_insights BUC exhausted.
    pub(crate) fn insights_throttled() -> Self {
        Self::new(
            80000,
            format!("(#80000) There have been too many calls from this ad-account. Wait a bit and try again. {RATE_DOC}"),
        )
        .sub(2446079)
        .transient(true)
    }

    /// 80004: ads_management BUC exhausted.
    pub(crate) fn management_throttled() -> Self {
        Self::new(
            80004,
            format!("(#80004) There have been too many calls to this ad-account. Wait a bit and try again. {RATE_DOC}"),
        )
        .sub(2446079)
        .transient(true)
    }

    /// Code 368: policy block.
    pub(crate) fn policy_block() -> Self {
        Self::new(368, "(#368) The action attempted has been deemed abusive or is otherwise disallowed")
    }

    /// Code 200 with HTTP 403.
    pub(crate) fn permission() -> Self {
        Self::new(200, "(#200) Requires ads_read permission to access this object").http(403)
    }

    /// Code 2635: a retired Marketing API version.
    pub(crate) fn deprecated_version(latest: &str) -> Self {
        Self::new(
            2635,
            format!(
                "(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: {latest}."
            ),
        )
    }

    /// The canonical error of a code (for fault injection by code).
    pub(crate) fn for_code(code: i64, subcode: Option<i64>) -> Self {
        let e = match (code, subcode) {
            (1, _) => Self::unknown(),
            (2, _) => Self::service(),
            (4, _) => Self::app_throttled(),
            (17, _) => Self::user_throttled(),
            (100, Some(1487534)) => Self::data_per_call(),
            (100, Some(33)) => Self::unsupported_get("0"),
            (100, _) => Self::invalid("Invalid parameter"),
            (190, _) => Self::new(190, "Error validating access token: Session has expired").sub(463),
            (200..=299, _) => Self::new(code, format!("(#{code}) Permissions error")).http(403),
            (368, _) => Self::policy_block(),
            (613, _) => Self::custom_throttled(),
            (80000, _) => Self::insights_throttled(),
            (80004, _) => Self::management_throttled(),
            (2635, _) => Self::deprecated_version("v25.0"),
            _ => Self::new(code, format!("(#{code}) Simulated error")),
        };
        match subcode {
            Some(s) => e.sub(s),
            None => e,
        }
    }

    /// The JSON body, with a trace id.
    pub(crate) fn body(&self, trace: &str) -> String {
        let mut out = String::with_capacity(256);
        out.push_str("{\"error\":");
        let mut o = Obj::new(&mut out);
        o.str("message", &self.message);
        o.str("type", self.kind);
        // Codes may be negative (docs/graph-api.md §1.4: internal codes such as -2).
        o.raw("code", &self.code.to_string());
        if let Some(sub) = self.subcode {
            o.raw("error_subcode", &sub.to_string());
        }
        if let Some(t) = self.transient {
            o.raw("is_transient", if t { "true" } else { "false" });
        }
        if let Some(t) = &self.user_title {
            o.str("error_user_title", t);
        }
        if let Some(m) = &self.user_msg {
            o.str("error_user_msg", m);
        }
        o.str("fbtrace_id", trace);
        o.end();
        out.push('}');
        out
    }
}
