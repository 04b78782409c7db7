//! The Graph client against the simulator over real HTTP: exact request counts from the
//! simulator's log for every branch of the error-code policy, batches, paging, report runs,
//! budgets and secrets; against a hostile server of the tests' own, wrong base URLs and
//! bodies that never end.

#[path = "client/base_url.rs"]
mod base_url;
#[path = "client/batch.rs"]
mod batch;
#[path = "client/bodies.rs"]
mod bodies;
#[path = "client/budget.rs"]
mod budget;
#[path = "client/hostile.rs"]
mod hostile;
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
