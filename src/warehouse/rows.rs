//! How each row type maps onto its table: column names, natural key, and the values in column
//! order, written through a backend-specific [`Sink`] (binary COPY for PostgreSQL, bind
//! parameters for SQLite).

use std::hash::Hash;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::schema_pg;
use crate::model::{AdAccountRow, AdCreativeRow, AdRow, AdSetRow, CampaignRow, InsightLevel, InsightRow};

/// Table name, natural key and columns in the order [`Row::encode`] writes them.
pub(crate) struct TableSpec {
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub columns: &'static [&'static str],
}

/// Receives one row's values in column order.
pub(crate) trait Sink<'a> {
    fn null(&mut self);
    fn text(&mut self, v: &'a str);
    fn int(&mut self, v: i64);
    /// A 32-bit column (`INTEGER`); binary COPY needs the exact width.
    fn int4(&mut self, v: i32) {
        self.int(v.into())
    }
    fn decimal(&mut self, v: &Decimal);
    fn timestamp(&mut self, v: &DateTime<Utc>);
    fn date(&mut self, v: NaiveDate);
    fn json(&mut self, v: &serde_json::Value);
    /// JSON already serialized (validated when the [`crate::model::JsonText`] was made).
    fn json_text(&mut self, v: &str);

    fn opt_text(&mut self, v: Option<&'a str>) {
        match v {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }
    fn opt_int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }
    fn opt_decimal(&mut self, v: Option<&Decimal>) {
        match v {
            Some(v) => self.decimal(v),
            None => self.null(),
        }
    }
    fn opt_timestamp(&mut self, v: Option<&DateTime<Utc>>) {
        match v {
            Some(v) => self.timestamp(v),
            None => self.null(),
        }
    }
    fn opt_json_text(&mut self, v: Option<&crate::model::JsonText>) {
        match v {
            Some(v) => self.json_text(v.as_str()),
            None => self.null(),
        }
    }
    fn opt_json(&mut self, v: Option<&serde_json::Value>) {
        match v {
            Some(v) => self.json(v),
            None => self.null(),
        }
    }
}

/// A row type the warehouse upserts.
pub(crate) trait Row {
    const SPEC: TableSpec;
    /// The table in [`super::schema_pg`], which diesel's COPY API wants as a type.
    type PgTable: diesel::Table + Default;
    type Key<'k>: Hash + Eq
    where
        Self: 'k;
    fn key(&self) -> Self::Key<'_>;
    fn encode<'a, S: Sink<'a>>(&'a self, s: &mut S);
}

/// The rows to write: for every key only its last occurrence, in input order. Upserting two
/// rows with one key in one statement is an error on PostgreSQL, and "last wins" is the
/// contract on both backends.
pub(crate) fn last_wins<R: Row>(rows: &[R]) -> Vec<&R> {
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    let mut out: Vec<&R> = rows.iter().rev().filter(|r| seen.insert(r.key())).collect();
    out.reverse();
    out
}

impl Row for AdAccountRow {
    type PgTable = schema_pg::ad_accounts::table;
    const SPEC: TableSpec = TableSpec {
        name: "ad_accounts",
        key: &["account_id"],
        columns: &[
            "account_id",
            "name",
            "currency",
            "timezone_name",
            "account_status",
            "account_status_code",
            "business_id",
            "amount_spent",
            "created_time",
            "synced_at",
        ],
    };
    type Key<'k> = &'k str;
    fn key(&self) -> &str {
        &self.account_id
    }
    fn encode<'a, S: Sink<'a>>(&'a self, s: &mut S) {
        s.text(&self.account_id);
        s.text(&self.name);
        s.text(&self.currency);
        s.text(&self.timezone_name);
        s.text(&self.account_status);
        s.int4(self.account_status_code);
        s.opt_text(self.business_id.as_deref());
        s.opt_decimal(self.amount_spent.as_ref());
        s.opt_timestamp(self.created_time.as_ref());
        s.timestamp(&self.synced_at);
    }
}

impl Row for CampaignRow {
    type PgTable = schema_pg::campaigns::table;
    const SPEC: TableSpec = TableSpec {
        name: "campaigns",
        key: &["campaign_id"],
        columns: &[
            "campaign_id",
            "account_id",
            "name",
            "status",
            "effective_status",
            "configured_status",
            "objective",
            "objective_type",
            "daily_budget",
            "lifetime_budget",
            "bid_strategy",
            "buying_type",
            "start_time",
            "stop_time",
            "created_time",
            "updated_time",
            "synced_at",
        ],
    };
    type Key<'k> = &'k str;
    fn key(&self) -> &str {
        &self.campaign_id
    }
    fn encode<'a, S: Sink<'a>>(&'a self, s: &mut S) {
        s.text(&self.campaign_id);
        s.text(&self.account_id);
        s.text(&self.name);
        s.text(&self.status);
        s.text(&self.effective_status);
        s.opt_text(self.configured_status.as_deref());
        s.opt_text(self.objective.as_deref());
        s.opt_text(self.objective_type.as_deref());
        s.opt_decimal(self.daily_budget.as_ref());
        s.opt_decimal(self.lifetime_budget.as_ref());
        s.opt_text(self.bid_strategy.as_deref());
        s.opt_text(self.buying_type.as_deref());
        s.opt_timestamp(self.start_time.as_ref());
        s.opt_timestamp(self.stop_time.as_ref());
        s.opt_timestamp(self.created_time.as_ref());
        s.opt_timestamp(self.updated_time.as_ref());
        s.timestamp(&self.synced_at);
    }
}

impl Row for AdSetRow {
    type PgTable = schema_pg::ad_sets::table;
    const SPEC: TableSpec = TableSpec {
        name: "ad_sets",
        key: &["ad_set_id"],
        columns: &[
            "ad_set_id",
            "campaign_id",
            "account_id",
            "name",
            "status",
            "effective_status",
            "configured_status",
            "daily_budget",
            "lifetime_budget",
            "optimization_goal",
            "billing_event",
            "bid_amount",
            "targeting",
            "start_time",
            "end_time",
            "created_time",
            "updated_time",
            "synced_at",
        ],
    };
    type Key<'k> = &'k str;
    fn key(&self) -> &str {
        &self.ad_set_id
    }
    fn encode<'a, S: Sink<'a>>(&'a self, s: &mut S) {
        s.text(&self.ad_set_id);
        s.text(&self.campaign_id);
        s.text(&self.account_id);
        s.text(&self.name);
        s.text(&self.status);
        s.text(&self.effective_status);
        s.opt_text(self.configured_status.as_deref());
        s.opt_decimal(self.daily_budget.as_ref());
        s.opt_decimal(self.lifetime_budget.as_ref());
        s.opt_text(self.optimization_goal.as_deref());
        s.opt_text(self.billing_event.as_deref());
        s.opt_decimal(self.bid_amount.as_ref());
        s.opt_json(self.targeting.as_ref());
        s.opt_timestamp(self.start_time.as_ref());
        s.opt_timestamp(self.end_time.as_ref());
        s.opt_timestamp(self.created_time.as_ref());
        s.opt_timestamp(self.updated_time.as_ref());
        s.timestamp(&self.synced_at);
    }
}

impl Row for AdRow {
    type PgTable = schema_pg::ads::table;
    const SPEC: TableSpec = TableSpec {
        name: "ads",
        key: &["ad_id"],
        columns: &[
            "ad_id",
            "ad_set_id",
            "campaign_id",
            "account_id",
            "name",
            "status",
            "effective_status",
            "configured_status",
            "creative_id",
            "created_time",
            "updated_time",
            "synced_at",
        ],
    };
    type Key<'k> = &'k str;
    fn key(&self) -> &str {
        &self.ad_id
    }
    fn encode<'a, S: Sink<'a>>(&'a self, s: &mut S) {
        s.text(&self.ad_id);
        s.text(&self.ad_set_id);
        s.text(&self.campaign_id);
        s.text(&self.account_id);
        s.text(&self.name);
        s.text(&self.status);
        s.text(&self.effective_status);
        s.opt_text(self.configured_status.as_deref());
        s.opt_text(self.creative_id.as_deref());
        s.opt_timestamp(self.created_time.as_ref());
        s.opt_timestamp(self.updated_time.as_ref());
        s.timestamp(&self.synced_at);
    }
}

impl Row for AdCreativeRow {
    type PgTable = schema_pg::ad_creatives::table;
    const SPEC: TableSpec = TableSpec {
        name: "ad_creatives",
        key: &["creative_id"],
        columns: &[
            "creative_id",
            "account_id",
            "name",
            "status",
            "title",
            "body",
            "object_type",
            "thumbnail_url",
            "image_url",
            "call_to_action_type",
            "synced_at",
        ],
    };
    type Key<'k> = &'k str;
    fn key(&self) -> &str {
        &self.creative_id
    }
    fn encode<'a, S: Sink<'a>>(&'a self, s: &mut S) {
        s.text(&self.creative_id);
        s.text(&self.account_id);
        s.opt_text(self.name.as_deref());
        s.opt_text(self.status.as_deref());
        s.opt_text(self.title.as_deref());
        s.opt_text(self.body.as_deref());
        s.opt_text(self.object_type.as_deref());
        s.opt_text(self.thumbnail_url.as_deref());
        s.opt_text(self.image_url.as_deref());
        s.opt_text(self.call_to_action_type.as_deref());
        s.timestamp(&self.synced_at);
    }
}

impl Row for InsightRow {
    type PgTable = schema_pg::insights_daily::table;
    const SPEC: TableSpec = TableSpec {
        name: "insights_daily",
        key: &["level", "object_id", "date"],
        columns: &[
            "level",
            "object_id",
            "date",
            "account_id",
            "campaign_id",
            "ad_set_id",
            "ad_id",
            "impressions",
            "reach",
            "clicks",
            "spend",
            "cpm",
            "cpc",
            "ctr",
            "frequency",
            "conversions",
            "conversion_value",
            "roas",
            "actions",
            "action_values",
            "purchase_roas",
            "synced_at",
        ],
    };
    type Key<'k> = (InsightLevel, &'k str, NaiveDate);
    fn key(&self) -> Self::Key<'_> {
        (self.level, &self.object_id, self.date)
    }
    fn encode<'a, S: Sink<'a>>(&'a self, s: &mut S) {
        s.text(self.level.as_str());
        s.text(&self.object_id);
        s.date(self.date);
        s.text(&self.account_id);
        s.opt_text(self.campaign_id.as_deref());
        s.opt_text(self.ad_set_id.as_deref());
        s.opt_text(self.ad_id.as_deref());
        s.int(self.impressions);
        s.opt_int(self.reach);
        s.int(self.clicks);
        s.decimal(&self.spend);
        s.opt_decimal(self.cpm.as_ref());
        s.opt_decimal(self.cpc.as_ref());
        s.opt_decimal(self.ctr.as_ref());
        s.opt_decimal(self.frequency.as_ref());
        s.opt_decimal(self.conversions.as_ref());
        s.opt_decimal(self.conversion_value.as_ref());
        s.opt_decimal(self.roas.as_ref());
        s.opt_json_text(self.actions.as_ref());
        s.opt_json_text(self.action_values.as_ref());
        s.opt_json_text(self.purchase_roas.as_ref());
        s.timestamp(&self.synced_at);
    }
}

/// `INSERT ... ON CONFLICT (key) DO UPDATE SET c = excluded.c` tail, for every non-key column.
pub(crate) fn on_conflict_update(spec: &TableSpec) -> String {
    let sets: Vec<String> = spec
        .columns
        .iter()
        .filter(|c| !spec.key.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(" ON CONFLICT ({}) DO UPDATE SET {}", spec.key.join(", "), sets.join(", "))
}
