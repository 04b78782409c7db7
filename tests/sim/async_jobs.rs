//! Async report runs: the documented `async_status` values, results, failures.

use crate::support::sim::*;
use meta_ads_sync::sim::{Fault, FaultRule, SimConfig};

#[tokio::test]
async fn a_run_goes_through_every_status_and_serves_the_sync_rows() {
    let env = start(SimConfig { async_polls_to_complete: 4, ..world(7, 8) }).await;
    let act = env.account(2);
    let params = [
        ("level", "campaign"),
        ("time_increment", "1"),
        ("fields", "campaign_id,spend,impressions"),
        ("date_preset", "last_14d"),
    ];
    let created = env.post(&format!("{act}/insights"), &params).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let run = created.body["report_run_id"].as_str().unwrap().to_string();
    let early = env.get(&format!("{run}/insights"), &[]).await;
    assert_eq!(early.status, 400, "results before completion are refused");
    let mut seen = Vec::new();
    loop {
        let s = env.get(&run, &[]).await;
        let status = s.body["async_status"].as_str().unwrap().to_string();
        seen.push((status.clone(), s.body["async_percent_completion"].as_u64().unwrap()));
        if status == "Job Completed" {
            break;
        }
        assert!(seen.len() < 10);
    }
    let names: Vec<&str> = seen.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["Job Not Started", "Job Started", "Job Running", "Job Completed"]);
    assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1), "percent never goes down: {seen:?}");
    assert_eq!(seen.last().unwrap().1, 100);
    let (rows, _) = env.collect(&format!("{run}/insights"), &[("limit", "7")]).await;
    let mut q = params.to_vec();
    q.push(("limit", "1000"));
    let sync = env.get(&format!("{act}/insights"), &q).await;
    assert_eq!(rows, sync.data());
    assert!(!rows.is_empty());
    env.server.shutdown().await;
}

#[tokio::test]
async fn runs_can_fail_or_be_skipped() {
    let env = start(SimConfig { async_polls_to_complete: 2, ..world(7, 8) }).await;
    let sim = env.server.sim();
    let act = env.account(0);
    sim.inject(
        FaultRule::new(Fault::JobFailed { code: None, subcode: None }).on_method("POST").insights().nth(&[1]),
    );
    sim.inject(FaultRule::new(Fault::JobSkipped).on_method("POST").insights().nth(&[2]));
    let mut finals = Vec::new();
    for _ in 0..3 {
        let run = env.post(&format!("{act}/insights"), &[("level", "account")]).await.body["report_run_id"]
            .as_str()
            .unwrap()
            .to_string();
        env.get(&run, &[]).await;
        finals.push(env.get(&run, &[]).await.body);
    }
    assert_eq!(finals[0]["async_status"], "Job Failed");
    assert_eq!(finals[0]["error_code"], -2);
    assert_eq!(finals[0]["error_subcode"], 2490547);
    assert!(finals[0]["error_message"].is_string());
    assert_eq!(finals[1]["async_status"], "Job Skipped");
    assert_eq!(finals[2]["async_status"], "Job Completed");
    assert_eq!(sim.stats().async_jobs, 3);
    env.server.shutdown().await;
}
