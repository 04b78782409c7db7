//! `cargo bench --bench sim_serve`: how fast the simulator serves insights over HTTP.
//!
//! Builds a world of 100 accounts × 1,000 campaigns (× 2 ad sets × 2 ads) with 365 days of
//! history, then fetches daily campaign-level insights over a year for several accounts and
//! daily ad-level insights for one account, page by page over real HTTP, on ONE thread
//! (client and server share a current-thread runtime, so the figure is conservative).
//! Prints the dataset size, resident memory and rows per second.

use meta_ads_sync::sim::{SimConfig, SimLimits, SimServer};
use std::time::Instant;

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Fetches every page; counts rows without parsing whole bodies (the client must not be
/// the bottleneck of a server benchmark).
async fn fetch_all(http: &reqwest::Client, token: &str, first: String) -> (u64, u64, u64) {
    let (mut rows, mut pages, mut bytes) = (0u64, 0u64, 0u64);
    let mut url = Some(first);
    while let Some(u) = url.take() {
        let body = http.get(&u).bearer_auth(token).send().await.expect("request").text().await.expect("body");
        assert!(!body.starts_with("{\"error\""), "{}", &body[..body.len().min(300)]);
        rows += body.matches("\"date_start\"").count() as u64;
        bytes += body.len() as u64;
        pages += 1;
        // `next` is the last field of the body.
        url = body.rfind("\"next\":\"").map(|i| {
            let rest = &body[i + 8..];
            rest[..rest.find('"').expect("closing quote")].replace("\\/", "/")
        });
    }
    (rows, pages, bytes)
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let cfg = SimConfig {
            seed: 42,
            businesses: 10,
            accounts: 100,
            campaigns_per_account: 1_000,
            adsets_per_campaign: 2,
            ads_per_adset: 2,
            days: 365,
            now: Some("2026-09-03T17:00:00Z".parse().expect("time")),
            limits: SimLimits::unlimited(),
            empty_page_rate: 0.0,
            ..SimConfig::default()
        };
        let before = rss_mib();
        let t0 = Instant::now();
        let server = SimServer::start(cfg.clone()).await.expect("start");
        let generation = t0.elapsed();
        let after = rss_mib();
        let ads = cfg.accounts * cfg.campaigns_per_account * cfg.adsets_per_campaign * cfg.ads_per_adset;
        println!(
            "dataset: {} accounts × {} campaigns × {} ad sets × {} ads = {} ads, {} days ({} ad-days, insights computed lazily)",
            cfg.accounts,
            cfg.campaigns_per_account,
            cfg.adsets_per_campaign,
            cfg.ads_per_adset,
            ads,
            cfg.days,
            ads as u64 * cfg.days as u64
        );
        println!("generation: {:.2}s, resident memory {:.0} MiB (world {:.0} MiB)", generation.as_secs_f64(), after, after - before);
        let sim = server.sim();
        let token = sim.system_user_token();
        let http = reqwest::Client::new();
        let fields = "account_id,campaign_id,adset_id,ad_id,impressions,reach,clicks,spend,cpm,cpc,ctr,frequency,actions,action_values,purchase_roas";
        let accounts = sim.account_ids();
        let mut runs = Vec::new();
        for act in accounts.iter().take(3) {
            runs.push(("campaign", act.clone(), "2025-09-04", "5000"));
        }
        runs.push(("ad", accounts[3].clone(), "2026-06-06", "5000"));
        let (mut total_rows, mut total_time) = (0u64, 0f64);
        for (level, act, since, limit) in runs {
            let range = format!(r#"{{"since":"{since}","until":"2026-09-03"}}"#);
            let q = serde_urlencoded::to_string([
                ("level", level),
                ("time_increment", "1"),
                ("time_range", &range),
                ("fields", fields),
                ("limit", limit),
            ])
            .expect("query");
            let url = format!("{}/{act}/insights?{q}", server.base_url());
            let t = Instant::now();
            let (rows, pages, bytes) = fetch_all(&http, &token, url).await;
            let secs = t.elapsed().as_secs_f64();
            total_rows += rows;
            total_time += secs;
            println!(
                "level={level:<8} {act} since {since}: {rows} rows in {pages} pages, {:.1} MiB, {secs:.2}s → {:.0} rows/s",
                bytes as f64 / 1048576.0,
                rows as f64 / secs
            );
        }
        println!(
            "total: {total_rows} rows in {total_time:.2}s → {:.0} rows/s on one thread (resident memory now {:.0} MiB)",
            total_rows as f64 / total_time,
            rss_mib()
        );
        server.shutdown().await;
    });
}
