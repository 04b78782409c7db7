-- Entity tables. No foreign keys: a sync may write children before it can see their parents
-- (partial permissions, deleted parents), and rows are never deleted, so relations are
-- logical (documented in docs/schema.md), indexed for joins. Ids use the "C" collation: they
-- are ASCII digits, and byte comparison keeps key lookups in the upserts cheap (a locale
-- collation costs a strcoll per B-tree comparison).
CREATE TABLE ad_accounts (
    account_id          TEXT COLLATE "C" PRIMARY KEY,
    name                TEXT NOT NULL,
    currency            TEXT NOT NULL,
    timezone_name       TEXT NOT NULL,
    account_status      TEXT NOT NULL,
    account_status_code INTEGER NOT NULL,
    business_id         TEXT COLLATE "C",
    amount_spent        NUMERIC,
    created_time        TIMESTAMPTZ,
    synced_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE campaigns (
    campaign_id       TEXT COLLATE "C" PRIMARY KEY,
    account_id        TEXT COLLATE "C" NOT NULL,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    effective_status  TEXT NOT NULL,
    configured_status TEXT,
    objective         TEXT,
    objective_type    TEXT,
    daily_budget      NUMERIC,
    lifetime_budget   NUMERIC,
    bid_strategy      TEXT,
    buying_type       TEXT,
    start_time        TIMESTAMPTZ,
    stop_time         TIMESTAMPTZ,
    created_time      TIMESTAMPTZ,
    updated_time      TIMESTAMPTZ,
    synced_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaigns_account_id_idx ON campaigns (account_id);

CREATE TABLE ad_sets (
    ad_set_id         TEXT COLLATE "C" PRIMARY KEY,
    campaign_id       TEXT COLLATE "C" NOT NULL,
    account_id        TEXT COLLATE "C" NOT NULL,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    effective_status  TEXT NOT NULL,
    configured_status TEXT,
    daily_budget      NUMERIC,
    lifetime_budget   NUMERIC,
    optimization_goal TEXT,
    billing_event     TEXT,
    bid_amount        NUMERIC,
    targeting         JSONB,
    start_time        TIMESTAMPTZ,
    end_time          TIMESTAMPTZ,
    created_time      TIMESTAMPTZ,
    updated_time      TIMESTAMPTZ,
    synced_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX ad_sets_account_id_idx ON ad_sets (account_id);
CREATE INDEX ad_sets_campaign_id_idx ON ad_sets (campaign_id);

CREATE TABLE ads (
    ad_id             TEXT COLLATE "C" PRIMARY KEY,
    ad_set_id         TEXT COLLATE "C" NOT NULL,
    campaign_id       TEXT COLLATE "C" NOT NULL,
    account_id        TEXT COLLATE "C" NOT NULL,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    effective_status  TEXT NOT NULL,
    configured_status TEXT,
    creative_id       TEXT COLLATE "C",
    created_time      TIMESTAMPTZ,
    updated_time      TIMESTAMPTZ,
    synced_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX ads_account_id_idx ON ads (account_id);
CREATE INDEX ads_ad_set_id_idx ON ads (ad_set_id);

CREATE TABLE ad_creatives (
    creative_id         TEXT COLLATE "C" PRIMARY KEY,
    account_id          TEXT COLLATE "C" NOT NULL,
    name                TEXT,
    status              TEXT,
    title               TEXT,
    body                TEXT,
    object_type         TEXT,
    thumbnail_url       TEXT,
    image_url           TEXT,
    call_to_action_type TEXT,
    synced_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX ad_creatives_account_id_idx ON ad_creatives (account_id);
