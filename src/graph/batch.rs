//! Batch requests (docs/graph-api.md §4): up to `batch.max_size` items per POST, each item
//! answered — and classified, counted against the budgets, paced from its own usage headers — on
//! its own. The HTTP 200 of the envelope says nothing about the items; `null` items (timed out
//! inside Meta) are re-sent, exactly those, in the next envelope. An item whose account is
//! stopped, spaced out or out of budget waits on its own: the other items go on.

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use std::collections::HashMap;
use tokio::time::Instant;

use super::body::{interpret, parse_body, parse_body_lean};
use super::budget::BudgetKey;
use super::classify::Context;
use super::client::GraphClient;
use super::error::GraphError;
use super::fault::Fault;
use super::gate::Target;
use super::pacing::from_now;
use super::request::{GraphRequest, Method};
use super::retry::{Attempts, Next};
use super::stats::Counters;
use super::usage::Usage;

struct Item {
    req: GraphRequest,
    att: Attempts,
    not_before: Instant,
}

/// One item's answer and its usage headers.
pub type ItemAnswer = (Result<Value, Fault>, Usage);

const BATCH_PATH: &str = "(batch)";

impl GraphClient {
    /// Run many requests as Graph batches; answers come back in request order, one result per
    /// request. Every item goes through the same policy as [`GraphClient::call`] (retries, token
    /// refresh, throttle waits, shrinking, skips); a throttled account's items wait while the
    /// other accounts' items go on. All items share one operation deadline.
    pub async fn batch(&self, reqs: Vec<GraphRequest>) -> Vec<Result<Value, GraphError>> {
        let deadline = from_now(self.inner.operation_timeout);
        let start = Instant::now();
        let mut items: Vec<Item> = reqs
            .into_iter()
            .map(|req| Item {
                req,
                att: Attempts::new(&self.inner.retry, Context::default()),
                not_before: start,
            })
            .collect();
        let mut results: Vec<Option<Result<Value, GraphError>>> = items.iter().map(|_| None).collect();
        let mut pending: Vec<usize> = (0..items.len()).collect();
        let budgets = std::sync::Arc::clone(&self.inner.limits.budgets);
        while !pending.is_empty() {
            // Registered before planning, so a budget freed meanwhile is not missed.
            let freed = budgets.freed();
            tokio::pin!(freed);
            freed.as_mut().enable();
            let now = Instant::now();
            let (chunk, wake) = self.plan(&items, &pending, now);
            if chunk.is_empty() {
                // No known wake-up: only a budget freed by a call in flight can let an item go.
                let wake = wake.unwrap_or(deadline);
                if wake > deadline || now >= deadline {
                    for &i in &pending {
                        let scope = [(items[i].req.account_id.as_deref(), items[i].req.is_insights())];
                        let shut = self.inner.limits.stopped(&scope, now, deadline);
                        results[i] = Some(Err(self.shut_error(shut, &scope, BATCH_PATH)));
                    }
                    break;
                }
                tokio::select! {
                    _ = tokio::time::sleep_until(wake) => {}
                    _ = &mut freed => {}
                }
                self.inner.counters.waited(Instant::now() - now);
                continue;
            }
            pending.retain(|i| !chunk.contains(i));
            let scopes: Vec<Target<'_>> = chunk
                .iter()
                .map(|&i| (items[i].req.account_id.as_deref(), items[i].req.is_insights()))
                .collect();
            let permit = match self.gate(&scopes, deadline, BATCH_PATH, false).await {
                Ok(Some(p)) => p,
                // A scope was stopped or slowed after planning: plan again without it.
                Ok(None) => {
                    pending.extend(&chunk);
                    pending.sort_unstable();
                    continue;
                }
                // Only the operation deadline ends a batch early: it is shared by every item.
                Err(e) => {
                    for &i in chunk.iter().chain(&pending) {
                        results[i] = Some(Err(e.clone()));
                    }
                    break;
                }
            };
            let token = self.inner.auth.token();
            self.count_batch(&mut items, &chunk);
            let (answer, usage) = self.send_batch(&items, &chunk, &token.token, deadline).await;
            drop(permit);
            self.inner.limits.pacer.observe(None, &usage, Instant::now());
            let answers: Vec<ItemAnswer> = match answer {
                Ok(slots) => {
                    self.inner.transport.mark_answered();
                    slots
                }
                Err(fault) => chunk.iter().map(|_| (Err(fault.clone()), usage.clone())).collect(),
            };
            for (&i, (result, usage)) in chunk.iter().zip(answers) {
                let item = &mut items[i];
                self.inner.limits.pacer.observe(item.req.account_id.as_deref(), &usage, Instant::now());
                let fault = match result {
                    Ok(v) => {
                        results[i] = Some(Ok(v));
                        continue;
                    }
                    Err(f) => f,
                };
                match self
                    .settle(&mut item.req, &mut item.att, &fault, &usage, token.generation, deadline)
                    .await
                {
                    Next::Resend { after } => {
                        item.not_before = from_now(after);
                        pending.push(i);
                    }
                    Next::Fail(e) => results[i] = Some(Err(e)),
                }
            }
            pending.sort_unstable();
        }
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(GraphError::Protocol {
                        path: BATCH_PATH.into(),
                        detail: "item never answered".into(),
                    })
                })
            })
            .collect()
    }

    /// The next chunk: items due now whose scope is not stopped or spaced out, at most
    /// `batch.max_size`, and never more items of one budget than that budget has room for now.
    /// Else the earliest time an item is due or a budget has room again.
    fn plan(&self, items: &[Item], pending: &[usize], now: Instant) -> (Vec<usize>, Option<Instant>) {
        let budgets = &self.inner.limits.budgets;
        let mut chunk = Vec::new();
        let mut room: HashMap<BudgetKey, (u32, Option<Instant>)> = HashMap::new();
        let mut wake: Option<Instant> = None;
        let mut wake_at = |t: Instant| wake = Some(wake.map_or(t, |w: Instant| w.min(t)));
        for &i in pending {
            let req = &items[i].req;
            let due = [
                Some(items[i].not_before).filter(|t| *t > now),
                self.inner.limits.pacer.ready_at(req.account_id.as_deref(), now),
            ]
            .into_iter()
            .flatten()
            .max();
            if let Some(t) = due {
                wake_at(t);
                continue;
            }
            if chunk.len() == self.inner.batch_max {
                break;
            }
            let keys = budgets.demands(req.account_id.as_deref(), req.is_insights());
            let mut fits = true;
            for k in &keys {
                let (free, expiry) = *room
                    .entry(k.clone())
                    .or_insert_with(|| budgets.room(k, now).unwrap_or((u32::MAX, None)));
                if free == 0 {
                    fits = false;
                    // No expiry known: only a completion frees room, and `freed` wakes the batch.
                    if let Some(t) = expiry {
                        wake_at(t);
                    }
                }
            }
            if fits {
                for k in keys {
                    if let Some((free, _)) = room.get_mut(&k) {
                        *free -= 1;
                    }
                }
                chunk.push(i);
            }
        }
        (chunk, wake)
    }

    fn count_batch(&self, items: &mut [Item], chunk: &[usize]) {
        let c = &self.inner.counters;
        Counters::add(&c.requests, 1);
        Counters::add(&c.batches, 1);
        for &i in chunk {
            let item = &mut items[i];
            if item.att.sent > 0 {
                Counters::add(&c.retries, 1);
            }
            item.att.sent += 1;
            Counters::add(&c.batch_items, 1);
            Counters::add(&c.calls, 1);
            if item.req.is_insights() {
                Counters::add(&c.insights_calls, 1);
            }
        }
    }

    /// POST the envelope; on an HTTP-level success, split it into per-item answers.
    async fn send_batch(
        &self,
        items: &[Item],
        chunk: &[usize],
        token: &SecretString,
        deadline: Instant,
    ) -> (Result<Vec<ItemAnswer>, Fault>, Usage) {
        // Items carry their own proof too: Meta validates each item's token like a call of its
        // own, and a proof is harmless where the envelope's would have sufficed.
        let ops: Vec<Value> = chunk
            .iter()
            .map(|&i| {
                let mut req = items[i].req.clone();
                self.inner.auth.sign(&mut req.params, token);
                batch_op(&req)
            })
            .collect();
        let mut form = vec![
            ("batch".to_string(), Value::Array(ops).to_string()),
            // Per-item headers carry the usage headers pacing needs.
            ("include_headers".to_string(), "true".to_string()),
        ];
        self.inner.auth.sign(&mut form, token);
        let rb =
            self.inner.transport.request(Method::POST, "").bearer_auth(token.expose_secret()).form(&form);
        tracing::debug!(items = chunk.len(), "graph batch");
        let (answer, usage) = self.inner.transport.round_trip(rb, deadline, false).await;
        let lean: Vec<bool> = chunk.iter().map(|&i| items[i].req.lean_rows).collect();
        let answer = answer.and_then(|body| split_items(body, &lean));
        (answer, usage)
    }
}

/// One batch operation: `relative_url` with the query for GET/DELETE, a urlencoded `body` for POST.
fn batch_op(req: &GraphRequest) -> Value {
    let encoded = serde_urlencoded::to_string(&req.params).unwrap_or_default();
    let mut url = req.relative_path().to_string();
    if req.params_in_query() {
        if !encoded.is_empty() {
            url = format!("{url}?{encoded}");
        }
        json!({"method": req.method.as_str(), "relative_url": url})
    } else {
        json!({"method": req.method.as_str(), "relative_url": url, "body": encoded})
    }
}

/// The envelope's array, one answer per item: `null` (timed out: re-send), or
/// `{code, headers:[{name,value}], body:"<json string>"}`. `lean[i]` says whether item `i` asked
/// for lean rows. Public for the fuzz targets; pure.
pub fn split_items(body: Value, lean: &[bool]) -> Result<Vec<ItemAnswer>, Fault> {
    let expected = lean.len();
    let Value::Array(slots) = body else {
        return Err(Fault::Unreadable {
            status: 200,
            detail: "batch answer is not an array".into(),
            cut_off: false,
        });
    };
    if slots.len() != expected {
        let detail = format!("batch answered {} items for {expected}", slots.len());
        return Err(Fault::Unreadable { status: 200, detail, cut_off: false });
    }
    Ok(slots.into_iter().zip(lean).map(|(slot, &lean)| read_item(slot, lean)).collect())
}

fn read_item(slot: Value, lean_rows: bool) -> ItemAnswer {
    if slot.is_null() {
        return (Err(Fault::NullItem), Usage::default());
    }
    // An item code that is no HTTP status reads as none (0): the body alone decides.
    let status = slot
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (100..=599).contains(c))
        .unwrap_or(0);
    let headers: Vec<(String, String)> = slot
        .get("headers")
        .and_then(Value::as_array)
        .map(|hs| {
            hs.iter()
                .filter_map(|h| {
                    Some((h.get("name")?.as_str()?.to_string(), h.get("value")?.as_str()?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    let usage = Usage::from_headers(|name| {
        headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    });
    let body = match slot.get("body") {
        Some(Value::String(s)) if lean_rows => parse_body_lean(s.as_bytes()),
        Some(Value::String(s)) => parse_body(s.as_bytes()),
        // Some servers inline the JSON instead of a string; accept it.
        Some(v @ (Value::Object(_) | Value::Array(_))) => Ok(v.clone()),
        _ => Err("batch item without body".to_string()),
    };
    (interpret(status, body), usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::request::Method;

    #[test]
    fn ops_encode_like_the_sdk() {
        let get = GraphRequest::get("/act_1/ads").param("fields", "id,name").param("limit", "2");
        assert_eq!(
            batch_op(&get),
            json!({"method":"GET","relative_url":"act_1/ads?fields=id%2Cname&limit=2"})
        );
        let post =
            GraphRequest { method: Method::POST, ..GraphRequest::get("act_1/insights") }.param("level", "ad");
        assert_eq!(
            batch_op(&post),
            json!({"method":"POST","relative_url":"act_1/insights","body":"level=ad"})
        );
    }

    #[test]
    fn items_read_on_their_own() {
        let body = json!([
            {"code":200,"headers":[{"name":"X-App-Usage","value":"{\"call_count\":50}"}],"body":"{\"id\":\"1\"}"},
            null,
            {"code":400,"body":"{\"error\":{\"code\":100,\"message\":\"bad\",\"fbtrace_id\":\"T\"}}"},
            {"code":500,"body":"<html>oops</html>"}
        ]);
        let items = split_items(body, &[false; 4]).unwrap();
        assert_eq!(items[0].0, Ok(json!({"id":"1"})));
        assert_eq!(items[0].1.app_pct(), Some(50.0));
        assert!(matches!(items[1].0, Err(Fault::NullItem)));
        assert!(matches!(&items[2].0, Err(Fault::Api { status: 400, error }) if error.code == 100));
        assert!(matches!(items[3].0, Err(Fault::Unreadable { status: 500, .. })));
        assert!(split_items(json!([null]), &[false; 2]).is_err());
        assert!(split_items(json!({"error":1}), &[false]).is_err());
    }
}
