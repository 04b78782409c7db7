//! What the commands print for the person or the log collector reading them: plain lines, or
//! with `logging.format: json` one JSON object per line like the log lines. A closed stdout or
//! stderr (`meta-ads-sync status | head -1`) is not an error: the rest is dropped quietly and
//! the command ends with its own exit code.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

static JSON: AtomicBool = AtomicBool::new(false);

/// Whether lines are written as JSON objects (`logging.format: json`).
pub fn set_json(on: bool) {
    JSON.store(on, Ordering::Relaxed);
}

/// Whether lines are written as JSON objects.
pub fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// The severity of a line, as the JSON log lines spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A result.
    Info,
    /// Something a person should look at.
    Warn,
    /// A failure.
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Self::Info => "INFO",
            Self::Warn => "WARN",
            Self::Error => "ERROR",
        }
    }
}

/// `text` as one JSON object on one line (`timestamp`, `level`, `message`, `target`), the shape
/// of the worker's JSON log lines.
pub fn json_line(level: Level, text: &str) -> String {
    serde_json::json!({
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "level": level.as_str(),
        "message": text,
        "target": "meta_ads_sync::cli",
    })
    .to_string()
}

fn render(level: Level, text: &str) -> String {
    if json() { json_line(level, text) } else { text.to_string() }
}

/// Writes `text` and a newline to stdout; a closed pipe is ignored.
pub fn out(text: &str) {
    let line = render(Level::Info, text);
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

/// Writes `text` and a newline to stderr at `level`; a closed pipe is ignored.
pub fn err(level: Level, text: &str) {
    let line = render(level, text);
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}").and_then(|()| stderr.flush());
}

/// The one line of a command that could not run: `error: <message>`, or a JSON object at
/// level `ERROR` whose `message` is `message`.
pub fn fatal(message: &str) {
    if json() { err(Level::Error, message) } else { err(Level::Error, &format!("error: {message}")) }
}

/// `println!` that never panics on a closed stdout, and writes JSON under `logging.format: json`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::console::out(&format!($($arg)*)) };
}

/// `eprintln!` at a [`Level`](crate::cli::console::Level) that never panics on a closed stderr,
/// and writes JSON under `logging.format: json`.
#[macro_export]
macro_rules! errln {
    ($level:ident, $($arg:tt)*) => {
        $crate::cli::console::err($crate::cli::console::Level::$level, &format!($($arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_line_is_one_object_on_one_line() {
        let line = json_line(Level::Error, "two\nlines \"quoted\"");
        assert!(!line.contains('\n'), "{line}");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            (v["level"].as_str(), v["message"].as_str()),
            (Some("ERROR"), Some("two\nlines \"quoted\""))
        );
    }
}
