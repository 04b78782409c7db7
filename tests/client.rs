//! The Graph client against the simulator over real HTTP: exact request counts from the
//! simulator's log for every branch of the error-code policy, batches, paging, report runs,
//! budgets and secrets; against a hostile server of the tests' own, wrong base URLs and
//! bodies that never end.

mod support;

mod client {
    mod base_url;
    mod batch;
    mod bodies;
    mod budget;
    mod paging;
    mod report_run;
    mod retries;
    mod secrets;
    mod throttle;
    mod tokens;
}
