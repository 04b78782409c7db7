//! One HTTP attempt: the `reqwest` client, the versioned root, the per-attempt timeout, and
//! reading a body within a size cap and an idle timeout. What comes back is a JSON value or a
//! [`Fault`] for the classifier; no retry decision is taken here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::body::{CUT_OFF, interpret, parse_body, parse_body_lean};
use super::error::GraphError;
use super::fault::Fault;
use super::options::GraphOptions;
use super::usage::Usage;

/// The HTTP side of the client.
pub(crate) struct Transport {
    http: reqwest::Client,
    base_url: String,
    attempt_timeout: Duration,
    max_body_bytes: usize,
    body_idle_timeout: Duration,
    answered: AtomicBool,
}

impl Transport {
    /// From validated options.
    pub fn new(opts: &GraphOptions) -> Result<Self, GraphError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("meta-ads-sync/", env!("CARGO_PKG_VERSION")))
            // Graph answers never redirect; following one could carry the bearer header along.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| GraphError::Config(format!("HTTP client: {}", e.without_url())))?;
        Ok(Self {
            http,
            base_url: opts.base_url().to_string(),
            attempt_timeout: opts.attempt_timeout(),
            max_body_bytes: opts.max_body_bytes,
            body_idle_timeout: opts.body_idle_timeout,
            answered: AtomicBool::new(false),
        })
    }

    /// The versioned root for messages: without any `user:password@`.
    pub fn shown_base_url(&self) -> String {
        match reqwest::Url::parse(&self.base_url) {
            Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
                let _ = u.set_username("");
                let _ = u.set_password(None);
                u.as_str().trim_end_matches('/').to_string()
            }
            _ => self.base_url.clone(),
        }
    }

    /// The full URL of a path under the versioned root.
    pub fn url(&self, path: &str) -> String {
        let path = path.trim_matches('/');
        if path.is_empty() { format!("{}/", self.base_url) } else { format!("{}/{path}", self.base_url) }
    }

    /// A request to a path under the versioned root.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// Whether the base URL has ever given a Graph answer (a success or a Graph error body).
    pub fn answered(&self) -> bool {
        self.answered.load(Ordering::Relaxed)
    }

    /// Record that the base URL gave a Graph answer.
    pub fn mark_answered(&self) {
        self.answered.store(true, Ordering::Relaxed);
    }

    /// Time left for one attempt: the per-attempt timeout, never past the operation deadline.
    pub fn attempt_limit(&self, deadline: Instant) -> Duration {
        self.attempt_timeout.min(deadline.saturating_duration_since(Instant::now()))
    }

    /// Send a built request and read the whole answer before the attempt limit; timeouts and
    /// transport errors become faults. Returns the usage headers even for error answers.
    pub async fn round_trip(
        &self,
        rb: reqwest::RequestBuilder,
        deadline: Instant,
        lean_rows: bool,
    ) -> (Result<Value, Fault>, Usage) {
        let attempt = async {
            let mut resp = rb.send().await.map_err(transport_fault)?;
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let usage = Usage::from_headers(|n| headers.get(n).and_then(|v| v.to_str().ok()));
            let body = match self.read_body(&mut resp).await {
                Ok(b) if lean_rows => parse_body_lean(&b),
                Ok(b) => parse_body(&b),
                Err(Body::Fault(f)) => return Ok((Err(f), usage)),
                Err(Body::Broken(detail)) => Err(detail),
            };
            Ok((interpret(status, body), usage))
        };
        match tokio::time::timeout_at(Instant::now() + self.attempt_limit(deadline), attempt).await {
            Err(_) => (Err(Fault::Timeout), Usage::default()),
            Ok(Err(fault)) => (Err(fault), Usage::default()),
            Ok(Ok(answer)) => answer,
        }
    }

    /// The body, piece by piece: at most `max_body_bytes` are ever held (a declared length above
    /// the cap is refused before reading), and a silence longer than the idle timeout ends it.
    async fn read_body(&self, resp: &mut reqwest::Response) -> Result<Vec<u8>, Body> {
        let cap = self.max_body_bytes;
        let declared = resp.content_length().unwrap_or(0);
        if declared > cap as u64 {
            return Err(Body::Fault(Fault::TooLarge { limit: cap }));
        }
        // The pieces are kept as they arrive and joined once the body has ended: a body that runs
        // past the cap is refused holding at most `cap` bytes, never a doubled buffer.
        let (mut pieces, mut len) = (Vec::new(), 0usize);
        loop {
            match tokio::time::timeout(self.body_idle_timeout, resp.chunk()).await {
                Err(_) => {
                    let idle = self.body_idle_timeout.as_secs_f64();
                    return Err(Body::Broken(format!(
                        "{CUT_OFF}: body stalled, no data for {idle}s after {len} bytes"
                    )));
                }
                Ok(Ok(Some(piece))) => {
                    if len + piece.len() > cap {
                        return Err(Body::Fault(Fault::TooLarge { limit: cap }));
                    }
                    len += piece.len();
                    pieces.push(piece);
                }
                Ok(Ok(None)) => {
                    let mut buf = Vec::with_capacity(len);
                    for piece in pieces {
                        buf.extend_from_slice(&piece);
                    }
                    return Ok(buf);
                }
                Ok(Err(e)) if e.is_timeout() => return Err(Body::Fault(Fault::Timeout)),
                Ok(Err(e)) => return Err(Body::Broken(format!("{CUT_OFF}: {}", e.without_url()))),
            }
        }
    }
}

/// Why a body could not be read: a fault of its own, or a broken body the parser describes.
enum Body {
    Fault(Fault),
    Broken(String),
}

fn transport_fault(e: reqwest::Error) -> Fault {
    if e.is_timeout() {
        return Fault::Timeout;
    }
    let connect = e.is_connect();
    // Describe the error chain without the URL (it carries the appsecret_proof query).
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    if connect { Fault::Connect(text) } else { Fault::Connection(text) }
}
