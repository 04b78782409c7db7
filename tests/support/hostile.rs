//! A tiny hostile HTTP server of the tests' own: raw bytes over a loopback `TcpListener`, for
//! answers no honest server (and so not the simulator) gives — HTML 404s, endless or stalled
//! bodies, a Graph answer once and then nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the server answers every request.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// `404 Not Found` with an HTML page (a web server that is not the Graph API).
    NotFoundHtml,
    /// `200` and a JSON listing that never ends, written as fast as the client reads.
    Endless,
    /// `200` declaring a body of 10 GB.
    HugeDeclared,
    /// `200` and the first bytes of the body, then silence (the connection stays open).
    Stall,
    /// `200` and one byte of the body every 20 ms, forever.
    Trickle,
    /// `200` with a Graph node, then the connection closes.
    GraphNode,
}

/// A running hostile server.
pub struct Hostile {
    /// `http://127.0.0.1:<port>/v25.0`.
    pub base_url: String,
    /// Requests received (request heads read).
    pub requests: Arc<AtomicUsize>,
    /// Body bytes written, over every connection.
    pub written: Arc<AtomicU64>,
    accept: JoinHandle<()>,
}

impl Hostile {
    /// Listen on a free loopback port; answer every request with `answer`.
    pub async fn start(answer: Answer) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let base_url = format!("http://{}/v25.0", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let written = Arc::new(AtomicU64::new(0));
        let (r, w) = (requests.clone(), written.clone());
        let accept = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (r, w) = (r.clone(), w.clone());
                tokio::spawn(async move {
                    let _ = serve(sock, answer, &r, &w).await;
                });
            }
        });
        Hostile { base_url, requests, written, accept }
    }

    /// Stop listening: the port refuses connections from now on.
    pub async fn close(self) {
        self.accept.abort();
        let _ = self.accept.await;
    }
}

async fn serve(
    mut sock: TcpStream,
    answer: Answer,
    requests: &AtomicUsize,
    written: &AtomicU64,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let count = |n: usize| written.fetch_add(n as u64, Ordering::SeqCst);
    match answer {
        Answer::NotFoundHtml => {
            let body =
                "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";
            let resp = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            sock.write_all(resp.as_bytes()).await?;
        }
        Answer::GraphNode => {
            let body = r#"{"id":"act_1","name":"x"}"#;
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            sock.write_all(resp.as_bytes()).await?;
        }
        Answer::HugeDeclared => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            loop {
                let piece = [b' '; 65536];
                sock.write_all(&piece).await?;
                count(piece.len());
            }
        }
        Answer::Endless => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            let row = r#"{"id":"1","name":"an endless row"},"#.repeat(2000);
            let first = format!("{{\"data\":[{row}");
            for piece in std::iter::once(first).chain(std::iter::repeat(row)) {
                sock.write_all(format!("{:x}\r\n{piece}\r\n", piece.len()).as_bytes()).await?;
                count(piece.len());
            }
        }
        Answer::Stall => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"data\":[";
            sock.write_all(head.as_bytes()).await?;
            count(9);
            std::future::pending::<()>().await;
        }
        Answer::Trickle => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            sock.write_all(head.as_bytes()).await?;
            sock.write_all(b"9\r\n{\"data\":[\r\n").await?;
            loop {
                // The trickle itself: the server's pace, not a test waiting for a timer.
                tokio::time::sleep(Duration::from_millis(20)).await;
                sock.write_all(b"1\r\n \r\n").await?;
                count(1);
            }
        }
    }
    sock.shutdown().await
}
