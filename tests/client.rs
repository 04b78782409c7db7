//! The Graph client against the simulator over real HTTP: exact request counts from the
//! simulator's log for every branch of the error-code policy, batches, paging, report runs,
//! budgets and secrets.

#[path = "client/batch.rs"]
mod batch;
#[path = "client/budget.rs"]
mod budget;
#[path = "client/paging.rs"]
mod paging;
#[path = "client/report_run.rs"]
mod report_run;
#[path = "client/retries.rs"]
mod retries;
#[path = "client/secrets.rs"]
mod secrets;
#[path = "client/support.rs"]
mod support;
#[path = "client/throttle.rs"]
mod throttle;
#[path = "client/tokens.rs"]
mod tokens;
