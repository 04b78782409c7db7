//! Hostile-body benchmark: the real `meta-ads-sync sync` binary against a tiny HTTP server on
//! loopback whose every answer is a body that never ends, a streamed 1 GiB body declared in
//! `Content-Length`, or a streamed 1 GiB chunked body without a length. Prints the worker's
//! peak RSS (its `VmHWM`, sampled from /proc every millisecond while it runs) next to the body
//! cap `meta.max_body_bytes`, and asserts that the sync ends (failing, with a message naming
//! the cap) with a peak bounded by the cap (see [`allowed_mib`]), instead of buffering the body.
//!
//! `cargo bench --bench hostile_body`; `BENCH_MAX_BODY_MIB` sets the cap (default 32).

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the hostile server sends after its response head.
#[derive(Debug, Clone, Copy)]
enum Body {
    /// Chunked JSON rows that never end.
    Endless,
    /// 1 GiB declared in `Content-Length`, streamed.
    DeclaredGib,
    /// 1 GiB chunked, no length.
    ChunkedGib,
}

const GIB: u64 = 1 << 30;
/// Peak RSS the worker may have besides the body buffer: the process itself (about 14 MiB).
const MARGIN_MIB: u64 = 24;

/// Peak RSS allowed for a cap: the cap plus the margin. The client keeps a body's pieces as they
/// arrive and joins them only once the body has ended, so a body stopped at the cap holds at most
/// the cap (measured at 32 MiB: 47 MiB peak; with the earlier doubling buffer it was 72 MiB).
fn allowed_mib(cap_mib: u64) -> u64 {
    cap_mib + MARGIN_MIB
}

impl Body {
    fn name(self) -> &'static str {
        match self {
            Body::Endless => "endless chunked body",
            Body::DeclaredGib => "1 GiB Content-Length body",
            Body::ChunkedGib => "1 GiB chunked body",
        }
    }
}

/// One JSON-looking piece of rows, repeated forever in the body.
fn rows_piece() -> Vec<u8> {
    let row =
        br#"{"id":"120210000000000001","name":"hostile row padding padding padding","status":"ACTIVE"},"#;
    row.iter().copied().cycle().take(64 * 1024).collect()
}

/// Reads the request head (and ignores any body), then answers with `body`; returns when the
/// client hangs up or the body is sent.
async fn serve(mut sock: TcpStream, body: Body, sent: Arc<AtomicU64>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let piece = rows_piece();
    let framing = match body {
        Body::DeclaredGib => format!("Content-Length: {GIB}"),
        Body::Endless | Body::ChunkedGib => "Transfer-Encoding: chunked".to_string(),
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    if sock.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunked = !matches!(body, Body::DeclaredGib);
    let mut first = b"{\"data\":[".to_vec();
    first.extend_from_slice(&piece[..piece.len() - 9]);
    let mut total = 0u64;
    let mut next = first;
    loop {
        if !matches!(body, Body::Endless) && total + next.len() as u64 > GIB {
            next.truncate((GIB - total) as usize);
        }
        let mut frame = Vec::with_capacity(next.len() + 16);
        if chunked {
            write!(frame, "{:x}\r\n", next.len()).unwrap();
        }
        frame.extend_from_slice(&next);
        if chunked {
            frame.extend_from_slice(b"\r\n");
        }
        if sock.write_all(&frame).await.is_err() {
            return;
        }
        total += next.len() as u64;
        sent.fetch_add(next.len() as u64, Ordering::Relaxed);
        if !matches!(body, Body::Endless) && total >= GIB {
            if chunked {
                let _ = sock.write_all(b"0\r\n\r\n").await;
            }
            return;
        }
        next = piece.clone();
    }
}

/// `VmHWM` of `pid` in KiB, while it lives.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the sync binary against a server answering `body`; returns (peak RSS KiB, exit code,
/// seconds, bytes the server sent, the worker's error output).
fn run(rt: &tokio::runtime::Runtime, body: Body, cap_mib: u64) -> (u64, Option<i32>, f64, u64, String) {
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().unwrap();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let server = rt.spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(serve(sock, body, counter.clone()));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hostile.yaml");
    let db = dir.path().join("warehouse.db");
    std::fs::write(
        &config,
        format!(
            "meta:\n  base_url: \"http://{addr}/v26.0\"\n  access_token: \"EAAhostile\"\n  max_body_bytes: {}\n  retry:\n    backoff_seconds: 0.05\n    max_backoff_seconds: 0.1\n\
             warehouse:\n  url: \"sqlite://{}\"\nsync:\n  accounts: [\"act_1\"]\n  levels: [campaign]\nlogging:\n  level: warn\n",
            cap_mib << 20,
            db.display()
        ),
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_meta-ads-sync");
    let migrate = Command::new(bin).args(["--config", config.to_str().unwrap(), "migrate"]).output().unwrap();
    assert!(migrate.status.success(), "migrate: {}", String::from_utf8_lossy(&migrate.stderr));
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["--config", config.to_str().unwrap(), "sync"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run meta-ads-sync");
    let pid = child.id();
    let mut peak = 0;
    loop {
        if let Some(kib) = vm_hwm_kib(pid) {
            peak = peak.max(kib);
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let out = child.wait_with_output().unwrap();
    let secs = started.elapsed().as_secs_f64();
    server.abort();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The worker's own figure (its VmHWM at the end), when it printed its summary.
    if let Some(mb) = stdout.split("peak memory ").nth(1).and_then(|t| t.split_whitespace().next()) {
        peak = peak.max(mb.parse::<u64>().unwrap_or(0) * 1024);
    }
    (peak, out.status.code(), secs, sent.load(Ordering::Relaxed), format!("{stdout}{stderr}"))
}

fn main() {
    let cap_mib = std::env::var("BENCH_MAX_BODY_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(32u64);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    println!(
        "hostile bodies: meta.max_body_bytes = {cap_mib} MiB, allowed peak RSS {} MiB",
        allowed_mib(cap_mib)
    );
    for body in [Body::Endless, Body::DeclaredGib, Body::ChunkedGib] {
        let (peak, code, secs, sent, output) = run(&rt, body, cap_mib);
        let first_error =
            output.lines().find(|l| l.contains("FAILED") || l.starts_with("error")).unwrap_or("");
        println!(
            "{:>26}: worker peak RSS {:.1} MiB, exit code {}, {:.1} s, server sent {:.1} MiB\n{:>28}{first_error}",
            body.name(),
            peak as f64 / 1024.0,
            code.map_or("signal".to_string(), |c| c.to_string()),
            secs,
            sent as f64 / (1u64 << 20) as f64,
            ""
        );
        assert_ne!(code, Some(0), "a sync against a hostile body must fail: {output}");
        assert!(
            output.contains("larger than")
                || output.contains("too large")
                || output.contains("max_body_bytes"),
            "the failure names the body cap: {output}"
        );
        assert!(peak < allowed_mib(cap_mib) * 1024, "peak RSS {peak} KiB over twice the cap plus margin");
    }
}
