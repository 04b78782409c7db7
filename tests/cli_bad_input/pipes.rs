//! A pipe closed early never panics: `demo | head -1`, `sync | head -1`, `status | head -1`,
//! `--help | head -1` end with their own exit code and no "failed printing to stdout" panic.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Command, Stdio};

use crate::support::*;

/// Spawns `cmd` with piped output, reads at most `lines` lines of stdout, closes it, then
/// waits: the exit code and stderr.
fn closed_after(mut cmd: Command, lines: usize) -> (Option<i32>, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..lines {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "the first line came");
    }
    drop(stdout);
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (child.wait().unwrap().code(), err)
}

fn assert_quiet(what: &str, (code, err): (Option<i32>, String)) {
    assert!(!err.contains("panicked") && !err.contains("failed printing"), "{what}: {err}");
    assert_eq!(code, Some(0), "{what}: {err}");
}

#[test]
fn demo_and_help_with_stdout_closed_after_the_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let demo = command(dir.path(), &["demo", "--accounts", "1", "--campaigns", "2", "--days", "5"], &[]);
    assert_quiet("demo | head -1", closed_after(demo, 1));
    assert_quiet("--help | head -1", closed_after(command(dir.path(), &["--help"], &[]), 1));
}

#[test]
fn sync_and_status_with_stdout_closed_before_they_print() {
    let sim = Sim::start(2);
    let dir = tempfile::tempdir().unwrap();
    let env = sim.env("w.db");
    assert_quiet("sync | head -1", closed_after(command(dir.path(), &["sync"], &env), 0));
    let (code, err) = closed_after(command(dir.path(), &["status"], &env), 0);
    assert_quiet("status | head -1", (code, err));
    // The sync did its work although nobody read its summary.
    let status = run(dir.path(), &["status"], &env);
    assert!(text(&status).contains("last run #1: succeeded"), "{}", text(&status));
}
