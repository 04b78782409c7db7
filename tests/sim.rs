//! Integration tests of the Graph API simulator, over real HTTP.

#[path = "sim/support.rs"]
mod support;

#[path = "sim/async_jobs.rs"]
mod async_jobs;
#[path = "sim/auth.rs"]
mod auth;
#[path = "sim/batch.rs"]
mod batch;
#[path = "sim/control.rs"]
mod control;
#[path = "sim/determinism.rs"]
mod determinism;
#[path = "sim/errors.rs"]
mod errors;
#[path = "sim/fields.rs"]
mod fields;
#[path = "sim/filtering.rs"]
mod filtering;
#[path = "sim/forms.rs"]
mod forms;
#[path = "sim/mutations.rs"]
mod mutations;
#[path = "sim/paging.rs"]
mod paging;
#[path = "sim/throttling.rs"]
mod throttling;
#[path = "sim/truth.rs"]
mod truth;
#[path = "sim/users.rs"]
mod users;
