//! Async report runs (docs/graph-api.md §5.3): `POST /{node}/insights` creates a run, each poll of
//! `GET /{report_run_id}` moves it along `Job Not Started` → `Job Started` → `Job Running`
//! → `Job Completed` (or `Job Failed` / `Job Skipped`), and `GET /{report_run_id}/insights`
//! pages its rows. Progress is driven by polls, not time, so tests are deterministic.

use super::ctx::Ctx;
use super::errors::ApiError;
use super::faults::Fault;
use super::hash::{h2, unit};
use super::ids::Kind;
use super::insights::query;
use super::jobs::{End, Job};
use super::request::Resp;
use super::serve_insights::{page, plan_for};
use super::world::day_date;
use serde_json::{Map, Value, json};

/// `POST /{node}/insights`.
pub(crate) fn create(ctx: &Ctx<'_>, kind: Kind, idx: usize) -> Result<Resp, ApiError> {
    let q = query::parse(&ctx.params)?;
    let plan = plan_for(ctx, kind, idx, &q)?;
    let cells = plan.estimated_rows().saturating_mul(plan.fields.len() as u64 + 2);
    let mut jobs = ctx.sim.jobs();
    let n = jobs.list.len();
    let end = match &ctx.job_fault {
        Some(Fault::JobSkipped) => End::Skip,
        Some(Fault::JobFailed { code, subcode }) => End::Fail(failure(*code, *subcode)),
        _ if cells > ctx.sim.cfg.limits.max_async_query_cells => End::Fail(ApiError::data_per_call()),
        _ if unit(h2(ctx.sim.cfg.seed ^ 0xa5c, n as u64)) < ctx.sim.cfg.async_failure_rate => {
            End::Fail(failure(None, None))
        }
        _ => End::Complete,
    };
    jobs.list.push(Job { plan, polls: 0, end, created: ctx.sim.now().timestamp(), completed: None });
    // Release the jobs lock before touching the world: the dispatcher locks world → jobs.
    drop(jobs);
    ctx.sim.stats_state().s.async_jobs += 1;
    let id = ctx.sim.world().ids.str(Kind::ReportRun, n);
    Ok(Resp::json(json!({ "report_run_id": id }).to_string()))
}

fn failure(code: Option<i64>, subcode: Option<i64>) -> ApiError {
    match code {
        Some(c) => ApiError::for_code(c, subcode),
        None => ApiError::new(-2, "Async job failed. Try again later.").sub(subcode.unwrap_or(2490547)),
    }
}

/// `GET /{report_run_id}`: one poll.
pub(crate) fn status(ctx: &Ctx<'_>, i: usize) -> Result<Resp, ApiError> {
    let total = ctx.sim.cfg.async_polls_to_complete.max(1);
    let now = ctx.sim.now().timestamp();
    let job = {
        let mut jobs = ctx.sim.jobs();
        let job = &mut jobs.list[i];
        job.polls += 1;
        if job.polls >= total && job.completed.is_none() {
            job.completed = Some(now);
        }
        job.clone()
    };
    let w = ctx.sim.world();
    let (status, pct) = if job.polls >= total {
        match &job.end {
            End::Complete => ("Job Completed", 100),
            End::Fail(_) => ("Job Failed", 100 * (total - 1) / total),
            End::Skip => ("Job Skipped", 0),
        }
    } else if job.polls <= 1 {
        ("Job Not Started", 0)
    } else if job.polls == 2 {
        ("Job Started", 100 * (job.polls - 1) / total)
    } else {
        ("Job Running", 100 * (job.polls - 1) / total)
    };
    let (first, last) = (job.plan.buckets.first(), job.plan.buckets.last());
    let mut m = Map::new();
    m.insert("id".into(), json!(w.ids.str(Kind::ReportRun, i)));
    m.insert("account_id".into(), json!(w.ids.str(Kind::Account, job.plan.account)));
    m.insert("async_status".into(), json!(status));
    m.insert("async_percent_completion".into(), json!(pct));
    if let (Some(f), Some(l)) = (first, last) {
        m.insert("date_start".into(), json!(day_date(f.0).to_string()));
        m.insert("date_stop".into(), json!(day_date(l.1).to_string()));
    }
    m.insert("time_ref".into(), json!(job.created));
    m.insert("time_completed".into(), json!(job.completed.filter(|_| job.polls >= total).unwrap_or(0)));
    m.insert("is_running".into(), json!(job.polls < total));
    m.insert("is_bookmarked".into(), json!(false));
    m.insert("emails".into(), json!([]));
    m.insert("friendly_name".into(), json!(""));
    m.insert("schedule_id".into(), json!("0"));
    if let (End::Fail(e), true) = (&job.end, job.polls >= total) {
        // v25.0+ exposes the failure on the run (docs/graph-api.md §9).
        m.insert("error_code".into(), json!(e.code));
        m.insert("error_subcode".into(), json!(e.subcode));
        m.insert("error_message".into(), json!(e.message));
        m.insert(
            "error_user_title".into(),
            json!(e.user_title.clone().unwrap_or_else(|| "Report failed".into())),
        );
        m.insert(
            "error_user_msg".into(),
            json!(
                e.user_msg
                    .clone()
                    .unwrap_or_else(|| "The report could not be generated. Try again later.".into())
            ),
        );
    }
    if let Some(f) = ctx.params.get("fields").filter(|f| !f.trim().is_empty()) {
        let wanted = super::fields::parse(f)?;
        super::render::validate(Kind::ReportRun, &wanted)?;
        let wanted: Vec<String> = wanted.into_iter().map(|f| f.name).collect();
        m.retain(|k, _| k == "id" || wanted.contains(k));
    }
    Ok(Resp::json(Value::Object(m).to_string()))
}

/// `GET /{report_run_id}/insights`.
pub(crate) fn results(ctx: &Ctx<'_>, i: usize) -> Result<Resp, ApiError> {
    let total = ctx.sim.cfg.async_polls_to_complete.max(1);
    let job = ctx.sim.jobs().list[i].clone();
    if job.polls < total || !matches!(job.end, End::Complete) {
        return Err(ApiError::invalid(&format!(
            "Report run {} is not completed; poll it until async_status is Job Completed",
            ctx.sim.world().ids.str(Kind::ReportRun, i)
        )));
    }
    page(ctx, &job.plan)
}
