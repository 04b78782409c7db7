//! The store of async report runs (docs/graph-api.md §5.3): each run's plan, poll count and
//! fate. The endpoints that create, poll and page them are in `async_jobs`.

use super::errors::ApiError;
use super::insights::engine::Plan;

/// How a report run ends once polled enough.
#[derive(Debug, Clone)]
pub(crate) enum End {
    /// `Job Completed`, rows served.
    Complete,
    /// `Job Failed` with this error.
    Fail(ApiError),
    /// `Job Skipped`.
    Skip,
}

/// One report run: what it computes and how far it got.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) plan: Plan,
    pub(crate) polls: u32,
    pub(crate) end: End,
    pub(crate) created: i64,
    pub(crate) completed: Option<i64>,
}

/// All report runs, by index.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    pub(crate) list: Vec<Job>,
}

impl Jobs {
    /// Number of runs created.
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Account index of run `i`.
    pub(crate) fn account_of(&self, i: usize) -> usize {
        self.list.get(i).map_or(0, |j| j.plan.account)
    }
}
