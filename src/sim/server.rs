//! The HTTP side: an axum server on loopback that turns requests into calls of the shared
//! pipeline, applies transport faults (latency, reset, hang), and serves the `/__sim/*`
//! control endpoints.

use super::config::SimConfig;
use super::core::Sim;
use super::ctx::Wire;
use super::request::{Params, Req};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// A simulator listening on loopback.
#[derive(Debug)]
pub struct SimServer {
    addr: SocketAddr,
    sim: Arc<Sim>,
    task: tokio::task::JoinHandle<()>,
}

impl SimServer {
    /// Generates the world of `cfg` and serves it on `127.0.0.1:<ephemeral port>`.
    pub async fn start(cfg: SimConfig) -> anyhow::Result<SimServer> {
        Self::start_on(cfg, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Same as [`SimServer::start`] on a chosen address (port 0 = any free port).
    pub async fn start_on(cfg: SimConfig, addr: SocketAddr) -> anyhow::Result<SimServer> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let sim = Arc::new(tokio::task::spawn_blocking(move || Sim::new(cfg)).await?);
        let _ = sim.root.set(format!("http://{addr}"));
        let app = Router::new().merge(super::control::routes()).fallback(graph).with_state(sim.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "graph simulator stopped");
            }
        });
        Ok(SimServer { addr, sim, task })
    }

    /// Versioned root, e.g. `http://127.0.0.1:41234/v25.0`.
    pub fn base_url(&self) -> String {
        format!("http://{}/{}", self.addr, self.sim.cfg.api_version)
    }

    /// Unversioned root, e.g. `http://127.0.0.1:41234`.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The control handle.
    pub fn sim(&self) -> Arc<Sim> {
        self.sim.clone()
    }

    /// Stops serving; hanging responses are released.
    pub async fn shutdown(self) {
        // `send_replace` updates the value even when no response is hanging right now.
        self.sim.closed.send_replace(true);
        self.task.abort();
        let _ = self.task.await;
    }
}

/// Counts requests in flight and the peak.
struct Inflight(Arc<Sim>);

impl Inflight {
    fn enter(sim: &Arc<Sim>) -> Self {
        let now = sim.inflight.fetch_add(1, Ordering::Relaxed) + 1;
        sim.peak.fetch_max(now, Ordering::Relaxed);
        Inflight(sim.clone())
    }
}

impl Drop for Inflight {
    fn drop(&mut self) {
        self.0.inflight.fetch_sub(1, Ordering::Relaxed);
    }
}

fn form_params(headers: &HeaderMap, body: &[u8]) -> Params {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let text = String::from_utf8_lossy(body);
    if ct.starts_with("application/json") {
        // Some clients post JSON objects: flatten to parameters (non-strings as JSON text).
        return match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(m)) => Params(
                m.into_iter()
                    .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                    .collect(),
            ),
            _ => Params::default(),
        };
    }
    Params::parse(&text)
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth"))
        .then(|| token.trim().to_string())
}

async fn graph(
    State(sim): State<Arc<Sim>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _inflight = Inflight::enter(&sim);
    sim.stats_state().s.http_requests += 1;
    let req = Req {
        method: method.as_str().to_uppercase(),
        path: uri.path().to_string(),
        query: Params::parse(uri.query().unwrap_or("")),
        form: form_params(&headers, &body),
        bearer: bearer(&headers),
        batch_item: false,
    };
    let outcome = sim.handle(&req);
    if outcome.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(outcome.latency_ms)).await;
    }
    let resp = outcome.resp;
    let status = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = Response::builder().status(status).header(header::CONTENT_TYPE, resp.content_type);
    for (k, v) in &resp.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::try_from(v.as_str())) {
            builder = builder.header(k, v);
        }
    }
    match outcome.wire {
        Wire::Hang | Wire::Null => {
            let mut closed = sim.closed.subscribe();
            while !*closed.borrow() {
                if closed.changed().await.is_err() {
                    break;
                }
            }
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Wire::Reset => {
            let head = resp.body.as_bytes()[..resp.body.len() / 3].to_vec();
            let parts: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from(head)),
                Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "simulated connection reset")),
            ];
            builder.body(Body::from_stream(futures_util::stream::iter(parts))).unwrap_or_default()
        }
        Wire::Normal => builder.body(Body::from(resp.body)).unwrap_or_default(),
    }
}
