//! The binary, a simulator it can sync, and the text a user reads.

use std::path::Path;
use std::process::{Command, Output};

use meta_ads_sync::sim::{SimConfig, SimServer};

/// A simulator on loopback, served by its own runtime while the test runs the binary.
pub struct Sim {
    /// The server.
    pub server: SimServer,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    /// A small world: `accounts` ad accounts, 3 campaigns each, 20 days.
    pub fn start(accounts: usize) -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let cfg = SimConfig {
            seed: 5,
            accounts,
            campaigns_per_account: 3,
            days: 20,
            api_version: "v26.0".into(),
            ..SimConfig::default()
        };
        let server = rt.block_on(SimServer::start(cfg)).unwrap();
        Sim { server, _rt: rt }
    }

    /// The environment that points `sync` at this simulator and at `sqlite://<db>`.
    pub fn env(&self, db: &str) -> Vec<(String, String)> {
        vec![
            ("META_ACCESS_TOKEN".into(), self.server.sim().system_user_token()),
            ("META_ADS_SYNC__META__BASE_URL".into(), self.server.base_url()),
            ("META_ADS_SYNC__WAREHOUSE__URL".into(), format!("sqlite://{db}")),
        ]
    }
}

/// The binary in `dir` with `args` and exactly `env` (no `META_*` from the test's own
/// environment, no `RUST_LOG`).
pub fn command(dir: &Path, args: &[&str], env: &[(String, String)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meta-ads-sync"));
    cmd.current_dir(dir).args(args);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("META_") || k == "RUST_LOG") {
        cmd.env_remove(k);
    }
    cmd.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    cmd
}

/// Runs the binary to the end, stdout and stderr captured through pipes.
pub fn run(dir: &Path, args: &[&str], env: &[(String, String)]) -> Output {
    command(dir, args, env).output().expect("run meta-ads-sync")
}

/// Stdout then stderr, as text.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// `(key, value)` pairs as owned strings.
pub fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A loopback URL where nothing listens (a port just bound and released).
pub fn dead_base_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("http://127.0.0.1:{port}/v26.0")
}
