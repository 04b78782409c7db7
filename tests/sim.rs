//! Integration tests of the Graph API simulator, over real HTTP.

mod support;

mod sim {
    mod async_jobs;
    mod auth;
    mod batch;
    mod control;
    mod determinism;
    mod errors;
    mod fields;
    mod filtering;
    mod forms;
    mod mutations;
    mod paging;
    mod throttling;
    mod truth;
    mod users;
}
