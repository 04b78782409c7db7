//! Diesel schema of the PostgreSQL warehouse, as `diesel print-schema` would write it for the
//! tables `migrations/postgres` builds. The `warehouse` test suite checks it against the
//! catalog of a freshly migrated database.
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
        amount_spent -> Nullable<Numeric>,
        created_time -> Nullable<Timestamptz>,
        synced_at -> Timestamptz,
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
        daily_budget -> Nullable<Numeric>,
        lifetime_budget -> Nullable<Numeric>,
        bid_strategy -> Nullable<Text>,
        buying_type -> Nullable<Text>,
        start_time -> Nullable<Timestamptz>,
        stop_time -> Nullable<Timestamptz>,
        created_time -> Nullable<Timestamptz>,
        updated_time -> Nullable<Timestamptz>,
        synced_at -> Timestamptz,
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
        daily_budget -> Nullable<Numeric>,
        lifetime_budget -> Nullable<Numeric>,
        optimization_goal -> Nullable<Text>,
        billing_event -> Nullable<Text>,
        bid_amount -> Nullable<Numeric>,
        targeting -> Nullable<Jsonb>,
        start_time -> Nullable<Timestamptz>,
        end_time -> Nullable<Timestamptz>,
        created_time -> Nullable<Timestamptz>,
        updated_time -> Nullable<Timestamptz>,
        synced_at -> Timestamptz,
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
        created_time -> Nullable<Timestamptz>,
        updated_time -> Nullable<Timestamptz>,
        synced_at -> Timestamptz,
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
        synced_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    insights_daily (level, object_id, date) {
        level -> Text,
        object_id -> Text,
        date -> Date,
        account_id -> Text,
        campaign_id -> Nullable<Text>,
        ad_set_id -> Nullable<Text>,
        ad_id -> Nullable<Text>,
        impressions -> BigInt,
        reach -> Nullable<BigInt>,
        clicks -> BigInt,
        spend -> Numeric,
        cpm -> Nullable<Numeric>,
        cpc -> Nullable<Numeric>,
        ctr -> Nullable<Numeric>,
        frequency -> Nullable<Numeric>,
        conversions -> Nullable<Numeric>,
        conversion_value -> Nullable<Numeric>,
        roas -> Nullable<Numeric>,
        actions -> Nullable<Jsonb>,
        action_values -> Nullable<Jsonb>,
        purchase_roas -> Nullable<Jsonb>,
        synced_at -> Timestamptz,
        inline_link_clicks -> Nullable<BigInt>,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    sync_cursors (account_id, stream) {
        account_id -> Text,
        stream -> Text,
        cursor -> Nullable<Text>,
        last_success_at -> Nullable<Timestamptz>,
        last_attempt_at -> Nullable<Timestamptz>,
        fail_count -> Integer,
        last_error -> Nullable<Text>,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamptz>,
        lease_since -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    sync_runs (run_id) {
        run_id -> BigInt,
        started_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
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
