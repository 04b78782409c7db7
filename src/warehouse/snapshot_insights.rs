//! Reading `insights_daily` back as [`InsightRow`]s (see [`super::snapshot`]).

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::codec::{parse_date, parse_decimal, parse_json_text, parse_timestamp};
use super::db::Db;
use super::error::WarehouseError;
use super::snapshot::{Kind, select_list};
use crate::model::{InsightLevel, InsightRow};

#[derive(QueryableByName)]
struct InsightText {
    #[diesel(sql_type = Text)]
    level: String,
    #[diesel(sql_type = Text)]
    object_id: String,
    #[diesel(sql_type = Text)]
    date: String,
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    campaign_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    ad_set_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    ad_id: Option<String>,
    #[diesel(sql_type = BigInt)]
    impressions: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    reach: Option<i64>,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
    #[diesel(sql_type = Text)]
    spend: String,
    #[diesel(sql_type = Nullable<Text>)]
    cpm: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    cpc: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    ctr: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    frequency: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    conversions: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    conversion_value: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    roas: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    actions: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    action_values: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    purchase_roas: Option<String>,
    #[diesel(sql_type = Text)]
    synced_at: String,
}

pub(super) fn insights<C: Db>(conn: &mut C) -> Result<Vec<InsightRow>, WarehouseError> {
    const T: &str = "insights_daily";
    let cols = [
        ("level", Kind::Plain),
        ("object_id", Kind::Plain),
        ("date", Kind::Date),
        ("account_id", Kind::Plain),
        ("campaign_id", Kind::Plain),
        ("ad_set_id", Kind::Plain),
        ("ad_id", Kind::Plain),
        ("impressions", Kind::Plain),
        ("reach", Kind::Plain),
        ("clicks", Kind::Plain),
        ("spend", Kind::Text),
        ("cpm", Kind::Text),
        ("cpc", Kind::Text),
        ("ctr", Kind::Text),
        ("frequency", Kind::Text),
        ("conversions", Kind::Text),
        ("conversion_value", Kind::Text),
        ("roas", Kind::Text),
        ("actions", Kind::Text),
        ("action_values", Kind::Text),
        ("purchase_roas", Kind::Text),
        ("synced_at", Kind::Timestamp),
    ];
    let sql = format!("SELECT {} FROM insights_daily", select_list(C::BACKEND, &cols));
    let rows: Vec<InsightText> = conn.load(&sql, Vec::new())?;
    rows.into_iter()
        .map(|r| {
            Ok(InsightRow {
                level: InsightLevel::parse(&r.level).ok_or_else(|| WarehouseError::Corrupt {
                    table: T,
                    column: "level",
                    detail: format!("unknown level {:?}", r.level),
                })?,
                object_id: r.object_id,
                date: parse_date(T, "date", &r.date)?,
                account_id: r.account_id,
                campaign_id: r.campaign_id,
                ad_set_id: r.ad_set_id,
                ad_id: r.ad_id,
                impressions: r.impressions,
                reach: r.reach,
                clicks: r.clicks,
                spend: parse_decimal(T, "spend", &r.spend)?,
                cpm: r.cpm.map(|s| parse_decimal(T, "cpm", &s)).transpose()?,
                cpc: r.cpc.map(|s| parse_decimal(T, "cpc", &s)).transpose()?,
                ctr: r.ctr.map(|s| parse_decimal(T, "ctr", &s)).transpose()?,
                frequency: r.frequency.map(|s| parse_decimal(T, "frequency", &s)).transpose()?,
                conversions: r.conversions.map(|s| parse_decimal(T, "conversions", &s)).transpose()?,
                conversion_value: r
                    .conversion_value
                    .map(|s| parse_decimal(T, "conversion_value", &s))
                    .transpose()?,
                roas: r.roas.map(|s| parse_decimal(T, "roas", &s)).transpose()?,
                actions: r.actions.map(|s| parse_json_text(T, "actions", &s)).transpose()?,
                action_values: r
                    .action_values
                    .map(|s| parse_json_text(T, "action_values", &s))
                    .transpose()?,
                purchase_roas: r
                    .purchase_roas
                    .map(|s| parse_json_text(T, "purchase_roas", &s))
                    .transpose()?,
                synced_at: parse_timestamp(T, "synced_at", &r.synced_at)?,
            })
        })
        .collect()
}
