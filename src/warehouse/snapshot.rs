//! Reading every synced table back as [`crate::model`] rows: for tests, the demo's checks
//! and analysts' sanity checks. Values travel as text (see [`super::dialect`]) and are parsed
//! exactly: decimals, microsecond timestamps and JSON round-trip.

use diesel::QueryableByName;
use diesel::sql_types::{Integer, Nullable, Text};

use super::codec::{parse_decimal, parse_json, parse_timestamp};
use super::db::Db;
use super::dialect;
use super::error::WarehouseError;
use super::types::{Backend, Snapshot};
use crate::model::{AdAccountRow, AdCreativeRow, AdRow, AdSetRow, CampaignRow};

/// `SELECT` list for `cols`, each `(name, kind)`, with values as text where needed.
pub(super) fn select_list(b: Backend, cols: &[(&str, Kind)]) -> String {
    cols.iter()
        .map(|(c, k)| match k {
            Kind::Plain => (*c).to_string(),
            Kind::Text => dialect::text(b, c),
            Kind::Timestamp => dialect::ts(b, c),
            Kind::Date => dialect::date(b, c),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a column is selected.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Plain,
    Text,
    Timestamp,
    Date,
}

/// Reads every synced table, each sorted by its key.
pub(crate) fn read<C: Db>(conn: &mut C) -> Result<Snapshot, WarehouseError> {
    let mut s = Snapshot {
        accounts: accounts(conn)?,
        campaigns: campaigns(conn)?,
        ad_sets: ad_sets(conn)?,
        ads: ads(conn)?,
        creatives: creatives(conn)?,
        insights: super::snapshot_insights::insights(conn)?,
    };
    // Sorted here rather than by ORDER BY: byte order, identical on both backends.
    s.accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    s.campaigns.sort_by(|a, b| a.campaign_id.cmp(&b.campaign_id));
    s.ad_sets.sort_by(|a, b| a.ad_set_id.cmp(&b.ad_set_id));
    s.ads.sort_by(|a, b| a.ad_id.cmp(&b.ad_id));
    s.creatives.sort_by(|a, b| a.creative_id.cmp(&b.creative_id));
    s.insights.sort_by(|a, b| (a.level, &a.object_id, a.date).cmp(&(b.level, &b.object_id, b.date)));
    Ok(s)
}

#[derive(QueryableByName)]
struct AccountText {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Text)]
    timezone_name: String,
    #[diesel(sql_type = Text)]
    account_status: String,
    #[diesel(sql_type = Integer)]
    account_status_code: i32,
    #[diesel(sql_type = Nullable<Text>)]
    business_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    amount_spent: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    created_time: Option<String>,
    #[diesel(sql_type = Text)]
    synced_at: String,
}

fn accounts<C: Db>(conn: &mut C) -> Result<Vec<AdAccountRow>, WarehouseError> {
    const T: &str = "ad_accounts";
    let cols = [
        ("account_id", Kind::Plain),
        ("name", Kind::Plain),
        ("currency", Kind::Plain),
        ("timezone_name", Kind::Plain),
        ("account_status", Kind::Plain),
        ("account_status_code", Kind::Plain),
        ("business_id", Kind::Plain),
        ("amount_spent", Kind::Text),
        ("created_time", Kind::Timestamp),
        ("synced_at", Kind::Timestamp),
    ];
    let sql = format!("SELECT {} FROM ad_accounts", select_list(C::BACKEND, &cols));
    let rows: Vec<AccountText> = conn.load(&sql, Vec::new())?;
    rows.into_iter()
        .map(|r| {
            Ok(AdAccountRow {
                account_id: r.account_id,
                name: r.name,
                currency: r.currency,
                timezone_name: r.timezone_name,
                account_status: r.account_status,
                account_status_code: r.account_status_code,
                business_id: r.business_id,
                amount_spent: r.amount_spent.map(|s| parse_decimal(T, "amount_spent", &s)).transpose()?,
                created_time: r.created_time.map(|s| parse_timestamp(T, "created_time", &s)).transpose()?,
                synced_at: parse_timestamp(T, "synced_at", &r.synced_at)?,
            })
        })
        .collect()
}

#[derive(QueryableByName)]
struct CampaignText {
    #[diesel(sql_type = Text)]
    campaign_id: String,
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    effective_status: String,
    #[diesel(sql_type = Nullable<Text>)]
    configured_status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    objective: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    objective_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    daily_budget: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    lifetime_budget: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    bid_strategy: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    buying_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    start_time: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    stop_time: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    created_time: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    updated_time: Option<String>,
    #[diesel(sql_type = Text)]
    synced_at: String,
}

fn campaigns<C: Db>(conn: &mut C) -> Result<Vec<CampaignRow>, WarehouseError> {
    const T: &str = "campaigns";
    let cols = [
        ("campaign_id", Kind::Plain),
        ("account_id", Kind::Plain),
        ("name", Kind::Plain),
        ("status", Kind::Plain),
        ("effective_status", Kind::Plain),
        ("configured_status", Kind::Plain),
        ("objective", Kind::Plain),
        ("objective_type", Kind::Plain),
        ("daily_budget", Kind::Text),
        ("lifetime_budget", Kind::Text),
        ("bid_strategy", Kind::Plain),
        ("buying_type", Kind::Plain),
        ("start_time", Kind::Timestamp),
        ("stop_time", Kind::Timestamp),
        ("created_time", Kind::Timestamp),
        ("updated_time", Kind::Timestamp),
        ("synced_at", Kind::Timestamp),
    ];
    let sql = format!("SELECT {} FROM campaigns", select_list(C::BACKEND, &cols));
    let rows: Vec<CampaignText> = conn.load(&sql, Vec::new())?;
    rows.into_iter()
        .map(|r| {
            Ok(CampaignRow {
                campaign_id: r.campaign_id,
                account_id: r.account_id,
                name: r.name,
                status: r.status,
                effective_status: r.effective_status,
                configured_status: r.configured_status,
                objective: r.objective,
                objective_type: r.objective_type,
                daily_budget: r.daily_budget.map(|s| parse_decimal(T, "daily_budget", &s)).transpose()?,
                lifetime_budget: r
                    .lifetime_budget
                    .map(|s| parse_decimal(T, "lifetime_budget", &s))
                    .transpose()?,
                bid_strategy: r.bid_strategy,
                buying_type: r.buying_type,
                start_time: r.start_time.map(|s| parse_timestamp(T, "start_time", &s)).transpose()?,
                stop_time: r.stop_time.map(|s| parse_timestamp(T, "stop_time", &s)).transpose()?,
                created_time: r.created_time.map(|s| parse_timestamp(T, "created_time", &s)).transpose()?,
                updated_time: r.updated_time.map(|s| parse_timestamp(T, "updated_time", &s)).transpose()?,
                synced_at: parse_timestamp(T, "synced_at", &r.synced_at)?,
            })
        })
        .collect()
}

#[derive(QueryableByName)]
struct AdSetText {
    #[diesel(sql_type = Text)]
    ad_set_id: String,
    #[diesel(sql_type = Text)]
    campaign_id: String,
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    effective_status: String,
    #[diesel(sql_type = Nullable<Text>)]
    configured_status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    daily_budget: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    lifetime_budget: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    optimization_goal: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    billing_event: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    bid_amount: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    targeting: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    start_time: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    end_time: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    created_time: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    updated_time: Option<String>,
    #[diesel(sql_type = Text)]
    synced_at: String,
}

fn ad_sets<C: Db>(conn: &mut C) -> Result<Vec<AdSetRow>, WarehouseError> {
    const T: &str = "ad_sets";
    let cols = [
        ("ad_set_id", Kind::Plain),
        ("campaign_id", Kind::Plain),
        ("account_id", Kind::Plain),
        ("name", Kind::Plain),
        ("status", Kind::Plain),
        ("effective_status", Kind::Plain),
        ("configured_status", Kind::Plain),
        ("daily_budget", Kind::Text),
        ("lifetime_budget", Kind::Text),
        ("optimization_goal", Kind::Plain),
        ("billing_event", Kind::Plain),
        ("bid_amount", Kind::Text),
        ("targeting", Kind::Text),
        ("start_time", Kind::Timestamp),
        ("end_time", Kind::Timestamp),
        ("created_time", Kind::Timestamp),
        ("updated_time", Kind::Timestamp),
        ("synced_at", Kind::Timestamp),
    ];
    let sql = format!("SELECT {} FROM ad_sets", select_list(C::BACKEND, &cols));
    let rows: Vec<AdSetText> = conn.load(&sql, Vec::new())?;
    rows.into_iter()
        .map(|r| {
            Ok(AdSetRow {
                ad_set_id: r.ad_set_id,
                campaign_id: r.campaign_id,
                account_id: r.account_id,
                name: r.name,
                status: r.status,
                effective_status: r.effective_status,
                configured_status: r.configured_status,
                daily_budget: r.daily_budget.map(|s| parse_decimal(T, "daily_budget", &s)).transpose()?,
                lifetime_budget: r
                    .lifetime_budget
                    .map(|s| parse_decimal(T, "lifetime_budget", &s))
                    .transpose()?,
                optimization_goal: r.optimization_goal,
                billing_event: r.billing_event,
                bid_amount: r.bid_amount.map(|s| parse_decimal(T, "bid_amount", &s)).transpose()?,
                targeting: r.targeting.map(|s| parse_json(T, "targeting", &s)).transpose()?,
                start_time: r.start_time.map(|s| parse_timestamp(T, "start_time", &s)).transpose()?,
                end_time: r.end_time.map(|s| parse_timestamp(T, "end_time", &s)).transpose()?,
                created_time: r.created_time.map(|s| parse_timestamp(T, "created_time", &s)).transpose()?,
                updated_time: r.updated_time.map(|s| parse_timestamp(T, "updated_time", &s)).transpose()?,
                synced_at: parse_timestamp(T, "synced_at", &r.synced_at)?,
            })
        })
        .collect()
}

#[derive(QueryableByName)]
struct AdText {
    #[diesel(sql_type = Text)]
    ad_id: String,
    #[diesel(sql_type = Text)]
    ad_set_id: String,
    #[diesel(sql_type = Text)]
    campaign_id: String,
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    effective_status: String,
    #[diesel(sql_type = Nullable<Text>)]
    configured_status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    creative_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    created_time: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    updated_time: Option<String>,
    #[diesel(sql_type = Text)]
    synced_at: String,
}

fn ads<C: Db>(conn: &mut C) -> Result<Vec<AdRow>, WarehouseError> {
    const T: &str = "ads";
    let cols = [
        ("ad_id", Kind::Plain),
        ("ad_set_id", Kind::Plain),
        ("campaign_id", Kind::Plain),
        ("account_id", Kind::Plain),
        ("name", Kind::Plain),
        ("status", Kind::Plain),
        ("effective_status", Kind::Plain),
        ("configured_status", Kind::Plain),
        ("creative_id", Kind::Plain),
        ("created_time", Kind::Timestamp),
        ("updated_time", Kind::Timestamp),
        ("synced_at", Kind::Timestamp),
    ];
    let sql = format!("SELECT {} FROM ads", select_list(C::BACKEND, &cols));
    let rows: Vec<AdText> = conn.load(&sql, Vec::new())?;
    rows.into_iter()
        .map(|r| {
            Ok(AdRow {
                ad_id: r.ad_id,
                ad_set_id: r.ad_set_id,
                campaign_id: r.campaign_id,
                account_id: r.account_id,
                name: r.name,
                status: r.status,
                effective_status: r.effective_status,
                configured_status: r.configured_status,
                creative_id: r.creative_id,
                created_time: r.created_time.map(|s| parse_timestamp(T, "created_time", &s)).transpose()?,
                updated_time: r.updated_time.map(|s| parse_timestamp(T, "updated_time", &s)).transpose()?,
                synced_at: parse_timestamp(T, "synced_at", &r.synced_at)?,
            })
        })
        .collect()
}

#[derive(QueryableByName)]
struct CreativeText {
    #[diesel(sql_type = Text)]
    creative_id: String,
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    body: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    object_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    thumbnail_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    image_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    call_to_action_type: Option<String>,
    #[diesel(sql_type = Text)]
    synced_at: String,
}

fn creatives<C: Db>(conn: &mut C) -> Result<Vec<AdCreativeRow>, WarehouseError> {
    const T: &str = "ad_creatives";
    let cols = [
        ("creative_id", Kind::Plain),
        ("account_id", Kind::Plain),
        ("name", Kind::Plain),
        ("status", Kind::Plain),
        ("title", Kind::Plain),
        ("body", Kind::Plain),
        ("object_type", Kind::Plain),
        ("thumbnail_url", Kind::Plain),
        ("image_url", Kind::Plain),
        ("call_to_action_type", Kind::Plain),
        ("synced_at", Kind::Timestamp),
    ];
    let sql = format!("SELECT {} FROM ad_creatives", select_list(C::BACKEND, &cols));
    let rows: Vec<CreativeText> = conn.load(&sql, Vec::new())?;
    rows.into_iter()
        .map(|r| {
            Ok(AdCreativeRow {
                creative_id: r.creative_id,
                account_id: r.account_id,
                name: r.name,
                status: r.status,
                title: r.title,
                body: r.body,
                object_type: r.object_type,
                thumbnail_url: r.thumbnail_url,
                image_url: r.image_url,
                call_to_action_type: r.call_to_action_type,
                synced_at: parse_timestamp(T, "synced_at", &r.synced_at)?,
            })
        })
        .collect()
}
