//! SIGKILL the real `meta-ads-sync sync` process at several points of a sync (discovery,
//! entity listings, insights pages) against a simulator in this test process; after every kill
//! the warehouse holds only true rows and no cursor covers a row it does not hold (no half
//! transaction); a last `sync` runs to completion and leaves the warehouse of an uninterrupted
//! run, which equals the simulator's truth.

use std::collections::HashMap;
use std::fmt::Debug;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use meta_ads_sync::mapping::INSIGHTS_FIELDS;
use meta_ads_sync::model::InsightLevel;
use meta_ads_sync::sim::{Fault, FaultRule, Sim, SimConfig, SimLimits, SimServer, Truth};
use meta_ads_sync::warehouse::testing::TestDb;
use meta_ads_sync::warehouse::{CursorState, Warehouse};

use crate::support::backends::both_backends_async;
use crate::support::sync::{as_truth, assert_matches_truth, roomy_limits, truth};

/// 3 accounts × (5 campaigns, 10 ad sets, 30 ads, 30 creatives), 30 days. Insights pages are
/// capped at 200 rows (the client halves `limit` on "reduce the amount of data", 5,000 → 156),
/// so the ad level of each account takes 2–3 pages and a kill can land between pages of one
/// chunk, after some of its rows committed and before its cursor did.
fn kill_world() -> SimConfig {
    let cells_per_row = INSIGHTS_FIELDS.split(',').count() as u64 + 2;
    SimConfig {
        seed: 31,
        accounts: 3,
        campaigns_per_account: 5,
        adsets_per_campaign: 2,
        ads_per_adset: 3,
        days: 30,
        api_version: "v26.0".to_string(),
        empty_page_rate: 0.1,
        request_log_limit: 1_000,
        limits: SimLimits { max_page_cells: cells_per_row * 200, ..roomy_limits() },
        ..SimConfig::default()
    }
}

/// Tuning of the child's run: small pages and batches, one batch in flight (many commits), fast
/// retries. Leases keep their default (900 s): the test lets a killed worker's leases lapse by
/// releasing them.
const CONFIG_YAML: &str = "\
meta:
  page_size: 4
  rate_limit: {calls_per_hour: 1000000, insights_per_hour: 1000000}
  retry: {backoff_seconds: 0.01, max_backoff_seconds: 0.05}
  batch: {max_size: 3}
  timeouts: {attempt_seconds: 20, operation_seconds: 120}
sync:
  levels: [account, campaign, adset, ad]
  concurrency: 1
logging:
  level: warn
";

/// Where a child run stands, counted from its start in the simulator's stats.
#[derive(Debug, Clone, Copy)]
struct Progress {
    calls: u64,
    insights_calls: u64,
}

/// When to kill a run.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    Calls(u64),
    InsightsCalls(u64),
}

impl KillAt {
    fn reached(self, p: Progress) -> bool {
        match self {
            KillAt::Calls(n) => p.calls >= n,
            KillAt::InsightsCalls(n) => p.insights_calls >= n,
        }
    }
}

/// Kill points, each in a new run over the warehouse the previous kill left: early entity
/// listings, later listings (the resumed run re-reads from its cursors), the first insights
/// pages, then twice deeper in the insights pages (an uninterrupted run makes about 100
/// insights calls, most of them shrinking the page size).
const KILLS: [KillAt; 5] = [
    KillAt::Calls(4),
    KillAt::Calls(30),
    KillAt::InsightsCalls(3),
    KillAt::InsightsCalls(30),
    KillAt::InsightsCalls(70),
];

/// Host part of the children's lease-owner names.
const WORKER_HOST: &str = "kill-test";

struct Runner {
    dir: tempfile::TempDir,
    config: PathBuf,
    env: Vec<(String, String)>,
    runs: usize,
}

impl Runner {
    fn new(server: &SimServer, warehouse_url: &str) -> Runner {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.yaml");
        std::fs::write(&config, CONFIG_YAML).unwrap();
        let sim = server.sim();
        let env = vec![
            ("META_ADS_SYNC__META__BASE_URL".to_string(), server.base_url()),
            ("META_ADS_SYNC__META__ACCESS_TOKEN".to_string(), sim.system_user_token()),
            ("META_ADS_SYNC__WAREHOUSE__URL".to_string(), warehouse_url.to_string()),
        ];
        Runner { dir, config, env, runs: 0 }
    }

    /// Starts `meta-ads-sync --config <file> sync`; its output goes to files in the temp dir.
    fn spawn(&mut self) -> (Child, PathBuf) {
        self.runs += 1;
        let log = self.dir.path().join(format!("run{}.log", self.runs));
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_meta-ads-sync"));
        cmd.arg("--config").arg(&self.config).arg("sync");
        // Nothing from the developer's environment (META_ACCESS_TOKEN, overrides) leaks in.
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("META_")) {
            cmd.env_remove(k);
        }
        // The worker id is `$HOSTNAME:<pid>`: known, so the test can end a killed run's leases.
        cmd.env("HOSTNAME", WORKER_HOST);
        cmd.envs(self.env.iter().cloned()).stdin(Stdio::null()).stdout(out.try_clone().unwrap()).stderr(out);
        (cmd.spawn().expect("spawning meta-ads-sync"), log)
    }
}

fn progress(sim: &Sim, base: Progress) -> Progress {
    let s = sim.stats();
    Progress { calls: s.calls - base.calls, insights_calls: s.insights_calls - base.insights_calls }
}

fn now_progress(sim: &Sim) -> Progress {
    progress(sim, Progress { calls: 0, insights_calls: 0 })
}

/// Runs the child until `kill` is reached (then SIGKILLs it) or until it exits by itself.
/// Returns the exit status and the progress at that moment.
async fn run(child: &mut Child, sim: &Sim, kill: Option<KillAt>, log: &Path) -> (ExitStatus, Progress) {
    let base = now_progress(sim);
    let give_up = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let p = progress(sim, base);
        if let Some(status) = child.try_wait().unwrap() {
            return (status, p);
        }
        if kill.is_some_and(|k| k.reached(p)) {
            child.kill().unwrap(); // SIGKILL on Unix
            return (child.wait().unwrap(), p);
        }
        if tokio::time::Instant::now() > give_up {
            child.kill().unwrap();
            let _ = child.wait();
            panic!(
                "sync did not finish in 90 s; output:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
}

fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

macro_rules! normalised {
    ($row:expr) => {{
        let mut r = $row.clone();
        r.synced_at = epoch();
        r
    }};
}

/// Every stored row equals its true row; every true row a committed cursor covers is stored.
fn check_table<K, R>(table: &str, got: Vec<(K, R)>, want: Vec<(K, R, bool)>)
where
    K: std::hash::Hash + Eq + Debug,
    R: PartialEq + Debug,
{
    let truth: HashMap<K, (R, bool)> = want.into_iter().map(|(k, r, covered)| (k, (r, covered))).collect();
    let mut stored = std::collections::HashSet::new();
    for (k, row) in got {
        match truth.get(&k) {
            Some((w, _)) if *w == row => {}
            Some((w, _)) => panic!(
                "{table} {k:?}: stored row differs from the truth:\n  stored: {row:?}\n  truth:  {w:?}"
            ),
            None => panic!("{table} {k:?}: stored row that does not exist: {row:?}"),
        }
        stored.insert(k);
    }
    for (k, (_, covered)) in &truth {
        assert!(
            !covered || stored.contains(k),
            "{table} {k:?}: a committed cursor covers this row but it is not stored"
        );
    }
}

/// What a fresh process sees after a kill: the warehouse opens and reads back; it holds only
/// true rows; and each committed cursor covers only stored rows (rows and the cursor they
/// advance commit in one transaction).
fn assert_consistent(url: &str, truth: &Truth) -> usize {
    let wh = Warehouse::connect(url).expect("the warehouse opens after a kill");
    let s = wh.snapshot().expect("the warehouse reads back after a kill");
    let cursors: HashMap<(String, String), String> = wh
        .cursors()
        .unwrap()
        .into_iter()
        .filter_map(|c| Some(((c.account_id, c.stream), c.cursor?)))
        .collect();
    let cursor = |a: &str, stream: &str| cursors.get(&(a.to_string(), stream.to_string()));
    let upto = |a: &str, stream: &str, t: Option<DateTime<Utc>>| {
        cursor(a, stream)
            .is_some_and(|c| t.is_none_or(|t| c.parse::<i64>().is_ok_and(|c| t.timestamp() <= c)))
    };
    check_table(
        "ad_accounts",
        s.accounts.iter().map(|r| (r.account_id.clone(), normalised!(r))).collect(),
        truth
            .accounts
            .iter()
            .map(|r| (r.account_id.clone(), normalised!(r), cursor(&r.account_id, "account").is_some()))
            .collect(),
    );
    check_table(
        "campaigns",
        s.campaigns.iter().map(|r| (r.campaign_id.clone(), normalised!(r))).collect(),
        truth
            .campaigns
            .iter()
            .map(|r| {
                (r.campaign_id.clone(), normalised!(r), upto(&r.account_id, "campaigns", r.updated_time))
            })
            .collect(),
    );
    check_table(
        "ad_sets",
        s.ad_sets.iter().map(|r| (r.ad_set_id.clone(), normalised!(r))).collect(),
        truth
            .ad_sets
            .iter()
            .map(|r| (r.ad_set_id.clone(), normalised!(r), upto(&r.account_id, "ad_sets", r.updated_time)))
            .collect(),
    );
    check_table(
        "ads",
        s.ads.iter().map(|r| (r.ad_id.clone(), normalised!(r))).collect(),
        truth
            .ads
            .iter()
            .map(|r| (r.ad_id.clone(), normalised!(r), upto(&r.account_id, "ads", r.updated_time)))
            .collect(),
    );
    check_table(
        "ad_creatives",
        s.creatives.iter().map(|r| (r.creative_id.clone(), normalised!(r))).collect(),
        truth
            .creatives
            .iter()
            .map(|r| (r.creative_id.clone(), normalised!(r), cursor(&r.account_id, "ad_creatives").is_some()))
            .collect(),
    );
    let insights_cursor = |a: &str, level: InsightLevel| {
        cursor(a, &format!("insights_{}", level.as_str())).and_then(|c| c.parse::<NaiveDate>().ok())
    };
    check_table(
        "insights_daily",
        s.insights.iter().map(|r| ((r.level, r.object_id.clone(), r.date), normalised!(r))).collect(),
        truth
            .insights
            .iter()
            .map(|r| {
                let covered = insights_cursor(&r.account_id, r.level).is_some_and(|c| r.date <= c);
                ((r.level, r.object_id.clone(), r.date), normalised!(r), covered)
            })
            .collect(),
    );
    cursors.len()
}

/// Ends the leases a killed worker still holds, as their lapse would (the default lease is
/// 15 minutes; until then another worker skips those accounts). Returns how many it held.
fn lapse_leases(url: &str, pid: u32) -> usize {
    let wh = Warehouse::connect(url).unwrap();
    let worker = format!("{WORKER_HOST}:{pid}");
    let held: Vec<CursorState> = wh
        .cursors()
        .unwrap()
        .into_iter()
        .filter(|c| c.lease_owner.as_deref() == Some(worker.as_str()))
        .collect();
    for c in &held {
        wh.release_lease(&c.account_id, &worker).unwrap();
    }
    held.len()
}

fn output(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_default()
}

/// Stream cursors that do not depend on when a run happened (insights days, newest
/// `updated_time` of entities); the `account` and `ad_creatives` cursors are run timestamps.
fn stable_cursors(wh: &Warehouse) -> Vec<(String, String, Option<String>)> {
    let mut out: Vec<_> = wh
        .cursors()
        .unwrap()
        .into_iter()
        .filter(|c| c.stream != "account" && c.stream != "ad_creatives")
        .map(|c| (c.account_id, c.stream, c.cursor))
        .collect();
    out.sort();
    out
}

async fn killed_syncs_converge(open: fn() -> TestDb) {
    let (reference_db, db) = (open(), open());
    let server = SimServer::start(kill_world()).await.unwrap();
    let sim = server.sim();
    let truth = truth(&server);

    // An uninterrupted run of the binary.
    let mut reference = Runner::new(&server, reference_db.url());
    let (mut child, log) = reference.spawn();
    let (status, full) = run(&mut child, &sim, None, &log).await;
    assert_eq!(status.code(), Some(0), "uninterrupted sync failed:\n{}", output(&log));
    let reference_wh = reference_db.connect();
    let reference_snapshot = reference_wh.snapshot().unwrap();
    assert_matches_truth(&reference_snapshot, &truth);
    eprintln!("uninterrupted run: {full:?}");

    // Latency on every HTTP request (batch envelopes included) so a run takes a few seconds and
    // the kills land mid-flight, often while a commit is in progress.
    sim.inject(FaultRule::new(Fault::Latency { ms: 25 }).in_batch(false));
    let mut runner = Runner::new(&server, db.url());
    for (i, kill) in KILLS.into_iter().enumerate() {
        let (mut child, log) = runner.spawn();
        let (status, at) = run(&mut child, &sim, Some(kill), &log).await;
        assert_eq!(
            status.signal(),
            Some(9),
            "run {} was meant to be killed at {kill:?} but ended with {status} at {at:?}:\n{}",
            i + 1,
            output(&log)
        );
        let cursors = assert_consistent(db.url(), &truth);
        let leases = lapse_leases(db.url(), child.id());
        assert!(leases > 0, "run {} was killed before it claimed its accounts", i + 1);
        eprintln!(
            "run {} killed at {at:?} ({kill:?}): consistent, {cursors} cursors committed, {leases} leases held",
            i + 1
        );
    }
    assert!(
        assert_consistent(db.url(), &truth) > 0,
        "the kills left nothing committed: kill points too early"
    );

    let (mut child, log) = runner.spawn();
    let (status, last) = run(&mut child, &sim, None, &log).await;
    assert_eq!(status.code(), Some(0), "the sync after the kills failed:\n{}", output(&log));
    assert!(output(&log).contains("sync succeeded"), "{}", output(&log));
    eprintln!("final run: {last:?}");
    let wh = db.connect();
    let snapshot = wh.snapshot().unwrap();
    assert_matches_truth(&snapshot, &as_truth(&reference_snapshot));
    assert_matches_truth(&snapshot, &truth);
    assert_eq!(stable_cursors(&wh), stable_cursors(&reference_wh));
    for c in wh.cursors().unwrap() {
        assert!(c.cursor.is_some() && c.fail_count == 0, "{c:?}");
    }
    server.shutdown().await;
}

both_backends_async!(killed_syncs_converge);
