//! `demo`: the main job, offline. Starts the Graph API simulator in-process, syncs it into a
//! fresh SQLite file with the loaded (default) configuration pointed at the simulator, prints a
//! summary and a sample analyst query with its result.

use std::sync::Arc;
use std::time::Instant;

use diesel::connection::SimpleConnection as _;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use secrecy::SecretString;

use super::demo_db::{self, Existing};
use super::sync::{print_summary, run_with_progress};
use super::{CommandError, peak_rss_text};
use crate::cli::DemoArgs;
use crate::config::{Config, version_of};
use crate::graph::{GraphClient, StaticToken};
use crate::sim::{SimConfig, SimServer};
use crate::sync::engine::SyncOptions;
use crate::warehouse::Warehouse;

/// The analyst query the demo runs: the best campaigns by ROAS over the last 7 days of data,
/// with CTR and ROAS recomputed from sums (never averaged ratios). Ranked by ROAS because it is
/// comparable across currencies; spend is in each account's own currency.
pub const SAMPLE_QUERY: &str = "\
SELECT campaign_name, currency,
       SUM(impressions) AS impressions,
       SUM(clicks) AS clicks,
       ROUND(SUM(CAST(spend AS REAL)), 2) AS spend,
       ROUND(SUM(clicks) * 100.0 / NULLIF(SUM(impressions), 0), 2) AS ctr_pct,
       ROUND(SUM(CAST(conversion_value AS REAL)) / NULLIF(SUM(CAST(spend AS REAL)), 0), 2) AS roas
FROM campaign_insights_daily
WHERE date >= (SELECT date(MAX(date), '-6 days') FROM campaign_insights_daily)
GROUP BY campaign_id, campaign_name, currency
HAVING SUM(CAST(spend AS REAL)) > 0
ORDER BY roas DESC
LIMIT 5";

#[derive(QueryableByName)]
struct TopCampaign {
    #[diesel(sql_type = Nullable<Text>)]
    campaign_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    currency: Option<String>,
    #[diesel(sql_type = BigInt)]
    impressions: i64,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
    #[diesel(sql_type = Double)]
    spend: f64,
    #[diesel(sql_type = Nullable<Double>)]
    ctr_pct: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    roas: Option<f64>,
}

/// Runs the demo.
pub async fn run(cfg: &Config, args: &DemoArgs) -> Result<(), CommandError> {
    let started = Instant::now();
    // Decided before anything starts: a file the demo did not write is never deleted.
    let replace = match demo_db::check(&args.db, args.force) {
        Existing::Refuse(why) => return Err(CommandError::usage(why)),
        Existing::Replace => true,
        Existing::Absent => false,
    };
    let version = version_of(&cfg.meta.base_url).unwrap_or("v26.0").to_string();
    let sim_cfg = SimConfig {
        seed: args.seed,
        accounts: args.accounts,
        campaigns_per_account: args.campaigns,
        days: args.days,
        api_version: version,
        require_appsecret_proof: true,
        ..SimConfig::default()
    };
    let server = SimServer::start(sim_cfg)
        .await
        .map_err(|e| CommandError::failed(format!("cannot start the simulator: {e}")))?;
    let sim = server.sim();
    crate::outln!("Graph API simulator listening at {}", server.base_url());

    let path = args.db.display().to_string();
    if replace {
        demo_db::remove(&args.db)
            .map_err(|e| CommandError::failed(format!("demo: cannot replace {path}: {e}")))?;
    }
    let mut cfg = cfg.clone();
    cfg.meta.base_url = server.base_url();
    cfg.meta.access_token = Some(SecretString::from(sim.system_user_token()));
    cfg.meta.app_secret = Some(SecretString::from(sim.config().app_secret.clone()));
    cfg.meta.app_id = Some(sim.config().app_id.clone());
    cfg.warehouse.url = format!("sqlite://{path}");
    cfg.sync.accounts.clear();

    let url = cfg.warehouse.url.clone();
    let marked = path.clone();
    let warehouse = tokio::task::spawn_blocking(move || {
        let wh = Warehouse::connect(&url).map_err(|e| e.to_string())?;
        wh.migrate().map_err(|e| e.to_string())?;
        mark_as_demo(&marked)?;
        Ok::<_, String>(wh)
    })
    .await
    .map_err(|e| CommandError::failed(e.to_string()))?
    .map_err(CommandError::failed)?;
    let token = StaticToken::new(cfg.meta.access_token.clone().expect("set above"));
    let client =
        GraphClient::new(&cfg.meta, Arc::new(token)).map_err(|e| CommandError::usage(e.to_string()))?;
    let opts = SyncOptions { worker_id: "demo".to_string(), ..SyncOptions::from_config(&cfg) };
    let report = run_with_progress(&cfg, &client, &warehouse, &opts).await?;
    let elapsed = started.elapsed();
    server.shutdown().await;

    print_summary(&report);
    let rows = |t: &str| report.rows.get(t).copied().unwrap_or(0);
    crate::outln!(
        "\nSynced into {path} in {:.1}s: {} ad accounts, {} campaigns, {} ad sets, {} ads, {} creatives, {} insight rows (levels: {}); {} API calls; peak memory {}",
        elapsed.as_secs_f64(),
        rows("ad_accounts"),
        rows("campaigns"),
        rows("ad_sets"),
        rows("ads"),
        rows("ad_creatives"),
        rows("insights_daily"),
        cfg.sync.levels.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "),
        report.api_calls,
        peak_rss_text(),
    );
    print_sample_query(&path)?;
    crate::outln!("\nExplore it yourself:  sqlite3 {path} 'SELECT * FROM campaign_insights_daily LIMIT 5'");
    if crate::cli::exit::for_report(&report) != crate::cli::exit::OK {
        return Err(CommandError::failed("the demo sync did not complete; see the messages above"));
    }
    Ok(())
}

/// Marks the file as a demo warehouse (see [`demo_db`]) and checkpoints the WAL, so the mark is
/// in the file's header before the sync starts: a demo stopped half-way is still replaced.
fn mark_as_demo(path: &str) -> Result<(), String> {
    let mut conn = SqliteConnection::establish(path).map_err(|e| format!("{path}: {e}"))?;
    conn.batch_execute(&format!(
        "PRAGMA application_id = {}; PRAGMA wal_checkpoint(FULL);",
        demo_db::DEMO_APPLICATION_ID
    ))
    .map_err(|e| format!("{path}: cannot mark it as a demo warehouse: {e}"))
}

fn print_sample_query(path: &str) -> Result<(), CommandError> {
    let mut conn = SqliteConnection::establish(path).map_err(|e| CommandError::failed(e.to_string()))?;
    let top: Vec<TopCampaign> =
        diesel::sql_query(SAMPLE_QUERY).load(&mut conn).map_err(|e| CommandError::failed(e.to_string()))?;
    crate::outln!("\nSample analyst query — best campaigns by ROAS, last 7 days:\n\n{SAMPLE_QUERY};\n");
    crate::outln!(
        "{:<44} {:>4} {:>12} {:>9} {:>12} {:>7} {:>6}",
        "campaign",
        "cur",
        "impressions",
        "clicks",
        "spend",
        "ctr %",
        "roas"
    );
    for t in top {
        let fmt = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
        crate::outln!(
            "{:<44} {:>4} {:>12} {:>9} {:>12.2} {:>7} {:>6}",
            t.campaign_name.unwrap_or_default().chars().take(44).collect::<String>(),
            t.currency.unwrap_or_default(),
            t.impressions,
            t.clicks,
            t.spend,
            fmt(t.ctr_pct),
            fmt(t.roas)
        );
    }
    Ok(())
}
