//! The `meta-ads-sync` binary as a user runs it: one run in a directory with a clean
//! environment, and the text it printed.

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary in `dir` with `args`, none of the caller's `META_*` or `RUST_LOG`
/// variables, and `env` set.
pub fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meta-ads-sync"));
    cmd.current_dir(dir).args(args);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("META_") || k == "RUST_LOG") {
        cmd.env_remove(k);
    }
    cmd.envs(env.iter().copied()).output().expect("run meta-ads-sync")
}

/// Standard output followed by standard error, as text.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}
