//! Transport-neutral request and response: top-level HTTP calls and batch items go through the
//! same dispatcher, so a batch item behaves exactly like the call it stands for.

/// Parameters from the query string and the form body, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(pub Vec<(String, String)>);

impl Params {
    /// Last value of `key` (later values win, as with repeated query keys at Meta).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Parses `a=b&c=d`.
    pub(crate) fn parse(s: &str) -> Params {
        Params(serde_urlencoded::from_str::<Vec<(String, String)>>(s).unwrap_or_default())
    }

    /// Encodes the parameters except `skip` (and secrets when `redact`).
    pub(crate) fn encode_without(&self, skip: &[&str]) -> String {
        let kept: Vec<&(String, String)> =
            self.0.iter().filter(|(k, _)| !skip.contains(&k.as_str())).collect();
        serde_urlencoded::to_string(kept).unwrap_or_default()
    }
}

/// Parameter names whose values are secrets: never logged, never echoed into URLs we build
/// unless the caller put them there itself.
pub(crate) const SECRET_PARAMS: [&str; 6] =
    ["access_token", "client_secret", "fb_exchange_token", "code", "input_token", "appsecret_proof"];

/// One Graph call.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path without the query, e.g. `/v25.0/act_1/insights`.
    pub path: String,
    /// Query parameters.
    pub query: Params,
    /// Form-body parameters (POST).
    pub form: Params,
    /// Token from `Authorization: Bearer|OAuth …`.
    pub bearer: Option<String>,
    /// This call is an item of a batch.
    pub batch_item: bool,
}

impl Req {
    /// A parameter from the form body or else the query.
    pub(crate) fn param(&self, key: &str) -> Option<&str> {
        self.form.get(key).or_else(|| self.query.get(key))
    }

    /// Query and form merged (form last, so it wins).
    pub(crate) fn params(&self) -> Params {
        let mut all = self.query.0.clone();
        all.extend(self.form.0.iter().cloned());
        Params(all)
    }
}

/// What goes back on the wire, before transport faults.
#[derive(Debug, Clone)]
pub(crate) struct Resp {
    pub status: u16,
    /// Extra headers (usage headers, `WWW-Authenticate`, `Location`, …).
    pub headers: Vec<(String, String)>,
    pub content_type: &'static str,
    pub body: String,
    /// Graph error code and subcode when the body is an error.
    pub error: Option<(i64, Option<i64>)>,
    /// Insight rows in the body (for stats).
    pub rows: u64,
}

/// Content type Meta uses for JSON bodies.
pub(crate) const JSON: &str = "application/json; charset=UTF-8";

impl Resp {
    /// A 200 JSON response.
    pub(crate) fn json(body: String) -> Self {
        Self { status: 200, headers: Vec::new(), content_type: JSON, body, error: None, rows: 0 }
    }

    /// An error response.
    pub(crate) fn error(e: &super::errors::ApiError, trace: &str) -> Self {
        let mut r = Self::json(e.body(trace));
        r.status = e.http;
        r.error = Some((e.code, e.subcode));
        if e.code == 190 || e.code == 102 {
            r.headers.push((
                "WWW-Authenticate".to_string(),
                format!("OAuth \"Facebook Platform\" \"invalid_token\" \"{}\"", e.message.replace('"', "'")),
            ));
        }
        r
    }
}
