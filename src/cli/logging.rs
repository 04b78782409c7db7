//! Log output: human-readable or JSON lines on stderr, filtered by `logging.level` (or
//! `RUST_LOG`). Secrets never reach here: they are `SecretString`s and only leave as headers.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use tracing_subscriber::EnvFilter;

use crate::config::LoggingConfig;

/// Set while a progress line is drawn on the terminal: log lines then clear it first, and the
/// next redraw puts it back under them.
pub static STATUS_LINE: AtomicBool = AtomicBool::new(false);

/// Stderr that clears the progress line before a log line when one is drawn.
struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut err = std::io::stderr().lock();
        if STATUS_LINE.load(Ordering::Relaxed) {
            err.write_all(b"\r\x1b[2K")?;
        }
        err.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Installs the global subscriber. Safe to call once per process.
pub fn init(cfg: &LoggingConfig) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&cfg.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let json = cfg.format == crate::config::LogFormat::Json;
    super::console::set_json(json);
    // Colours only for a person at a terminal: never in a file, a pipe or a log collector.
    let ansi = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(|| Stderr).with_ansi(ansi);
    let result = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.with_target(false).try_init()
    };
    // A second init (tests) keeps the first subscriber.
    let _ = result;
}
