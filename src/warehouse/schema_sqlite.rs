//! Diesel schema of the SQLite warehouse for the tables `migrations/sqlite` builds. Money,
//! timestamps, dates and JSON are TEXT on SQLite (see docs/schema.md). The `warehouse` test
//! suite checks it against `pragma_table_info` of a freshly migrated file.
#![allow(missing_docs)]

diesel::table! {
    use diesel::sql_types::*;

    ad_accounts (account_id) {
        account_id -> Text,
        name -> Text,
        currency -> Text,
        timezone_name -> Text,
        account_status -> Text,
        account_status_code -> Integer,
        business_id -> Nullable<Text>,
        amount_spent -> Nullable<Text>,
        created_time -> Nullable<Text>,
        synced_at -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    campaigns (campaign_id) {
        campaign_id -> Text,
        account_id -> Text,
        name -> Text,
        status -> Text,
        effective_status -> Text,
        configured_status -> Nullable<Text>,
        objective -> Nullable<Text>,
        objective_type -> Nullable<Text>,
        daily_budget -> Nullable<Text>,
        lifetime_budget -> Nullable<Text>,
        bid_strategy -> Nullable<Text>,
        buying_type -> Nullable<Text>,
        start_time -> Nullable<Text>,
        stop_time -> Nullable<Text>,
        created_time -> Nullable<Text>,
        updated_time -> Nullable<Text>,
        synced_at -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    ad_sets (ad_set_id) {
        ad_set_id -> Text,
        campaign_id -> Text,
        account_id -> Text,
        name -> Text,
        status -> Text,
        effective_status -> Text,
        configured_status -> Nullable<Text>,
        daily_budget -> Nullable<Text>,
        lifetime_budget -> Nullable<Text>,
        optimization_goal -> Nullable<Text>,
        billing_event -> Nullable<Text>,
        bid_amount -> Nullable<Text>,
        targeting -> Nullable<Text>,
        start_time -> Nullable<Text>,
        end_time -> Nullable<Text>,
        created_time -> Nullable<Text>,
        updated_time -> Nullable<Text>,
        synced_at -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    ads (ad_id) {
        ad_id -> Text,
        ad_set_id -> Text,
        campaign_id -> Text,
        account_id -> Text,
        name -> Text,
        status -> Text,
        effective_status -> Text,
        configured_status -> Nullable<Text>,
        creative_id -> Nullable<Text>,
        created_time -> Nullable<Text>,
        updated_time -> Nullable<Text>,
        synced_at -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    ad_creatives (creative_id) {
        creative_id -> Text,
        account_id -> Text,
        name -> Nullable<Text>,
        status -> Nullable<Text>,
        title -> Nullable<Text>,
        body -> Nullable<Text>,
        object_type -> Nullable<Text>,
        thumbnail_url -> Nullable<Text>,
        image_url -> Nullable<Text>,
        call_to_action_type -> Nullable<Text>,
        synced_at -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    insights_daily (level, object_id, date) {
        level -> Text,
        object_id -> Text,
        date -> Text,
        account_id -> Text,
        campaign_id -> Nullable<Text>,
        ad_set_id -> Nullable<Text>,
        ad_id -> Nullable<Text>,
        impressions -> BigInt,
        reach -> Nullable<BigInt>,
        clicks -> BigInt,
        spend -> Text,
        cpm -> Nullable<Text>,
        cpc -> Nullable<Text>,
        ctr -> Nullable<Text>,
        frequency -> Nullable<Text>,
        conversions -> Nullable<Text>,
        conversion_value -> Nullable<Text>,
        roas -> Nullable<Text>,
        actions -> Nullable<Text>,
        action_values -> Nullable<Text>,
        purchase_roas -> Nullable<Text>,
        synced_at -> Text,
        inline_link_clicks -> Nullable<BigInt>,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    sync_cursors (account_id, stream) {
        account_id -> Text,
        stream -> Text,
        cursor -> Nullable<Text>,
        last_success_at -> Nullable<Text>,
        last_attempt_at -> Nullable<Text>,
        fail_count -> Integer,
        last_error -> Nullable<Text>,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Text>,
        lease_since -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    sync_runs (run_id) {
        run_id -> Integer,
        started_at -> Text,
        finished_at -> Nullable<Text>,
        status -> Text,
        api_calls -> BigInt,
        rows_upserted -> BigInt,
        error -> Nullable<Text>,
        holder -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    ad_accounts,
    campaigns,
    ad_sets,
    ads,
    ad_creatives,
    insights_daily,
    sync_cursors,
    sync_runs,
);
