//! Async insights report runs (docs/graph-api.md §5.3): `POST act_X/insights` → `report_run_id`; poll
//! `GET /{id}` with growing waits until `Job Completed` (failing on `Job Failed` / `Job Skipped`
//! with the v25.0 error fields); then page through `GET /{id}/insights`.

use futures_util::StreamExt;
use serde_json::Value;
use tokio::time::Instant;

use super::classify::{Context, Decision, Failure, classify};
use super::client::GraphClient;
use super::error::{GraphError, ReportRunFailure, WireError};
use super::pacing::from_now;
use super::request::{CallKind, GraphRequest, Method};
use super::usage::Usage;
use crate::ids::AccountId;

/// Fields asked of a report run while polling (the error fields exist since v25.0).
const RUN_FIELDS: &str = "id,async_status,async_percent_completion,error_code,error_subcode,error_message,error_user_title,error_user_msg";

impl GraphClient {
    /// Run an async insights job for an ad account with `params` (`level`, `fields`,
    /// `time_range`, `time_increment`, …) and return every result row. Polling and job
    /// re-creation share one operation deadline; each result page is its own operation.
    /// A job failing with Meta's "too much data" returns [`GraphError::TooMuchData`] so the
    /// caller splits the date range; a job failing with a transient error is re-created (at most
    /// `retry.max_attempts` times).
    pub async fn report_run(
        &self,
        account_id: &str,
        params: Vec<(String, String)>,
    ) -> Result<Vec<Value>, GraphError> {
        let account = AccountId::parse(account_id).map_err(|e| GraphError::Config(e.to_string()))?.node();
        let deadline = from_now(self.inner.operation_timeout);
        let mut backoff = self.inner.retry.transient.steps();
        let mut recreated = 0;
        let run_id = loop {
            let create = GraphRequest {
                method: Method::POST,
                path: format!("{account}/insights"),
                params: params.clone(),
                account_id: Some(account.clone()),
                kind: CallKind::Insights,
                lean_rows: false,
            };
            let created = self.call(&create).await?;
            let id = created
                .get("report_run_id")
                .or_else(|| created.get("id"))
                .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_u64().map(|n| n.to_string())))
                .ok_or_else(|| GraphError::Protocol {
                    path: create.path.clone(),
                    detail: "report run created without report_run_id".into(),
                })?;
            tracing::info!(account = %account, report_run_id = %id, "report run created");
            let failure = match self.wait_for_run(&id, &account, deadline).await? {
                None => break id,
                Some(failure) => failure,
            };
            let wire = WireError {
                code: failure.error_code.unwrap_or(0),
                error_subcode: failure.error_subcode,
                message: failure.error_message.clone().unwrap_or_default(),
                ..WireError::default()
            };
            let failed = Failure::Api { status: 200, error: &wire };
            let codes = &self.inner.retry.codes;
            match classify(&failed, &Usage::default(), Some(&account), codes, Context::default()) {
                Decision::Shrink(_) => {
                    return Err(GraphError::TooMuchData { account: Some(account), path: create.path });
                }
                Decision::Retry if recreated < self.inner.retry.max_attempts => {
                    recreated += 1;
                    tracing::warn!(account = %account, report_run_id = %id, status = %failure.status,
                        "report run failed transiently: creating it again");
                    self.pause(backoff.next().unwrap_or_default(), deadline, &create.path).await?;
                }
                _ => return Err(GraphError::ReportRunFailed(Box::new(failure))),
            }
        };
        let results = GraphRequest {
            method: Method::GET,
            path: format!("{run_id}/insights"),
            params: Vec::new(),
            account_id: Some(account),
            kind: CallKind::Insights,
            lean_rows: false,
        };
        let mut rows = Vec::new();
        let mut pages = std::pin::pin!(self.pages_with(results, Context { report_run_poll: true }));
        while let Some(page) = pages.next().await {
            rows.extend(page?);
        }
        Ok(rows)
    }

    /// Poll until the run ends: `None` when completed, the failure otherwise.
    async fn wait_for_run(
        &self,
        run_id: &str,
        account: &str,
        deadline: Instant,
    ) -> Result<Option<ReportRunFailure>, GraphError> {
        let (mut wait, max_wait) = self.inner.poll;
        let poll = GraphRequest::get(run_id.to_string()).param("fields", RUN_FIELDS).account(account);
        loop {
            // 100/33 right after creation is the documented creation/poll race: retried.
            let (run, _) = self.execute(poll.clone(), Context { report_run_poll: true }).await?;
            let status = run.get("async_status").and_then(Value::as_str).unwrap_or_default().to_string();
            match status.as_str() {
                "Job Completed" => return Ok(None),
                "Job Failed" | "Job Skipped" => return Ok(Some(failure(run_id, status, &run))),
                _ => {
                    let pct = run.get("async_percent_completion").and_then(Value::as_u64).unwrap_or(0);
                    tracing::debug!(report_run_id = %run_id, %status, pct, "report run still running");
                    self.pause(wait, deadline, run_id).await?;
                    wait = wait.saturating_mul(2).min(max_wait.max(wait));
                }
            }
        }
    }
}

fn failure(run_id: &str, status: String, run: &Value) -> ReportRunFailure {
    let text = |k: &str| run.get(k).and_then(Value::as_str).map(str::to_string);
    let int = |k: &str| run.get(k).and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()));
    ReportRunFailure {
        report_run_id: run_id.to_string(),
        status,
        error_code: int("error_code"),
        error_subcode: int("error_subcode"),
        error_message: text("error_message"),
        error_user_title: text("error_user_title"),
        error_user_msg: text("error_user_msg"),
    }
}
