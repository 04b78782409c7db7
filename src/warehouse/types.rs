//! The values the warehouse API takes and returns.

use chrono::{DateTime, Utc};

use crate::model::{AdAccountRow, AdCreativeRow, AdRow, AdSetRow, CampaignRow, InsightRow};

/// Which database a [`super::Warehouse`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL (production).
    Postgres,
    /// An embedded SQLite file (the zero-setup default).
    Sqlite,
}

/// Everything one [`super::Warehouse::commit`] writes, in one transaction: the row sets and the
/// cursor advances they justify. Rows with the same key inside one set: the last one wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteBatch {
    /// Rows for `ad_accounts`.
    pub accounts: Vec<AdAccountRow>,
    /// Rows for `campaigns`.
    pub campaigns: Vec<CampaignRow>,
    /// Rows for `ad_sets`.
    pub ad_sets: Vec<AdSetRow>,
    /// Rows for `ads`.
    pub ads: Vec<AdRow>,
    /// Rows for `ad_creatives`.
    pub creatives: Vec<AdCreativeRow>,
    /// Rows for `insights_daily`.
    pub insights: Vec<InsightRow>,
    /// Cursors to advance once the rows above are stored.
    pub cursors: Vec<CursorAdvance>,
}

impl WriteBatch {
    /// True when the batch writes nothing.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
            && self.campaigns.is_empty()
            && self.ad_sets.is_empty()
            && self.ads.is_empty()
            && self.creatives.is_empty()
            && self.insights.is_empty()
            && self.cursors.is_empty()
    }
}

/// Moves the cursor of one `(account_id, stream)`. Committing it sets `cursor`,
/// `last_success_at = last_attempt_at = now`, `fail_count = 0` and clears `last_error`;
/// the lease columns are left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorAdvance {
    /// Numeric ad account id, without `act_`.
    pub account_id: String,
    /// Stream name chosen by the sync engine (`campaigns`, `insights:campaign`, ...).
    pub stream: String,
    /// Opaque cursor value (a date, an `updated_time`, ...).
    pub cursor: String,
}

/// What one commit wrote, after resolving in-batch duplicates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitStats {
    /// `ad_accounts` rows inserted or updated.
    pub accounts: u64,
    /// `campaigns` rows inserted or updated.
    pub campaigns: u64,
    /// `ad_sets` rows inserted or updated.
    pub ad_sets: u64,
    /// `ads` rows inserted or updated.
    pub ads: u64,
    /// `ad_creatives` rows inserted or updated.
    pub creatives: u64,
    /// `insights_daily` rows inserted or updated.
    pub insights: u64,
    /// Input rows dropped because a later row in the same set had the same key.
    pub duplicates_dropped: u64,
    /// Cursors advanced.
    pub cursors: u64,
}

impl CommitStats {
    /// Rows inserted or updated over every table (cursors not counted).
    pub fn rows_upserted(&self) -> u64 {
        self.accounts + self.campaigns + self.ad_sets + self.ads + self.creatives + self.insights
    }
}

/// One row of `sync_cursors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorState {
    /// Numeric ad account id, without `act_`.
    pub account_id: String,
    /// Stream name; `account` is the row that carries the account's lease.
    pub stream: String,
    /// Last committed cursor, `None` before the first success.
    pub cursor: Option<String>,
    /// When the cursor last advanced.
    pub last_success_at: Option<DateTime<Utc>>,
    /// When a sync of this stream last succeeded or failed.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Failures since the last success.
    pub fail_count: i32,
    /// Message of the last failure, cleared by a success.
    pub last_error: Option<String>,
    /// Worker holding the lease (only on the `account` stream).
    pub lease_owner: Option<String>,
    /// When that lease lapses.
    pub lease_expires_at: Option<DateTime<Utc>>,
}

/// How a sync run ended, as stored in `sync_runs.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Still going (or the process died: `finished_at` stays NULL).
    Running,
    /// Every due account synced.
    Succeeded,
    /// Some accounts failed or were skipped; others synced.
    Partial,
    /// The run failed as a whole.
    Failed,
    /// Stopped by SIGTERM/SIGINT; what committed stays, the rest is for the next run.
    Interrupted,
    /// Its process died (its holder lock is gone) before it closed the row.
    Abandoned,
    /// Nothing to do here: every account was held by another live worker.
    Idle,
}

impl RunStatus {
    /// The stored name: `running`, `succeeded`, `partial`, `failed`, `interrupted`, `abandoned`
    /// or `idle`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Partial => "partial",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
            Self::Abandoned => "abandoned",
            Self::Idle => "idle",
        }
    }

    /// Parses a stored name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Running,
            Self::Succeeded,
            Self::Partial,
            Self::Failed,
            Self::Interrupted,
            Self::Abandoned,
            Self::Idle,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// What [`super::Warehouse::finish_run`] records about a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome {
    /// Final status (not [`RunStatus::Running`]).
    pub status: RunStatus,
    /// Graph API calls made (every batch item counts).
    pub api_calls: u64,
    /// Rows inserted or updated over the run.
    pub rows_upserted: u64,
    /// Summary of what went wrong, if anything.
    pub error: Option<String>,
}

/// One row of `sync_runs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    /// Run id, increasing.
    pub run_id: i64,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// When it finished; `None` while running (or if the process died).
    pub finished_at: Option<DateTime<Utc>>,
    /// Status.
    pub status: RunStatus,
    /// Graph API calls made.
    pub api_calls: u64,
    /// Rows inserted or updated.
    pub rows_upserted: u64,
    /// What went wrong, if anything.
    pub error: Option<String>,
}

/// Every synced table read back as [`crate::model`] rows, each sorted by its key
/// (insights by `(level, object_id, date)` with [`crate::model::InsightLevel`]'s order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// `ad_accounts` by `account_id`.
    pub accounts: Vec<AdAccountRow>,
    /// `campaigns` by `campaign_id`.
    pub campaigns: Vec<CampaignRow>,
    /// `ad_sets` by `ad_set_id`.
    pub ad_sets: Vec<AdSetRow>,
    /// `ads` by `ad_id`.
    pub ads: Vec<AdRow>,
    /// `ad_creatives` by `creative_id`.
    pub creatives: Vec<AdCreativeRow>,
    /// `insights_daily` by `(level, object_id, date)`.
    pub insights: Vec<InsightRow>,
}
