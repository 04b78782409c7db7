-- One row per (level, object, day Meta reports in the account's time zone). The natural key is
-- the primary key, so no second unique index slows the bulk upserts down. Every sync rewrites
-- the recent days (Meta restates them), and rows of one page are rewritten together: with
-- half of each page free the update stays on its page (HOT) and no index entry is added,
-- which halves the cost of a re-upsert and keeps the key index from bloating.
CREATE TABLE insights_daily (
    level            TEXT COLLATE "C" NOT NULL CHECK (level IN ('account', 'campaign', 'adset', 'ad')),
    object_id        TEXT COLLATE "C" NOT NULL,
    date             DATE NOT NULL,
    account_id       TEXT COLLATE "C" NOT NULL,
    campaign_id      TEXT COLLATE "C",
    ad_set_id        TEXT COLLATE "C",
    ad_id            TEXT COLLATE "C",
    impressions      BIGINT NOT NULL CHECK (impressions >= 0),
    reach            BIGINT,
    clicks           BIGINT NOT NULL CHECK (clicks >= 0),
    spend            NUMERIC NOT NULL,
    cpm              NUMERIC,
    cpc              NUMERIC,
    ctr              NUMERIC,
    frequency        NUMERIC,
    conversions      NUMERIC,
    conversion_value NUMERIC,
    roas             NUMERIC,
    actions          JSONB,
    action_values    JSONB,
    purchase_roas    JSONB,
    synced_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (level, object_id, date)
) WITH (fillfactor = 50);

-- Per-level views. cpm/cpc/ctr here are derived from the row's additive sums (spend,
-- impressions, clicks), the same formulas an analyst applies to SUM()s over any grouping;
-- Meta's reported values stay in insights_daily.cpm/cpc/ctr.
CREATE VIEW account_insights_daily AS
SELECT i.date, i.account_id, a.name AS account_name, a.currency,
       i.impressions, i.reach, i.clicks, i.spend,
       ROUND(i.spend * 1000 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(i.spend / NULLIF(i.clicks, 0), 6) AS cpc,
       ROUND(i.clicks * 100.0 / NULLIF(i.impressions, 0), 6) AS ctr,
       i.frequency, i.conversions, i.conversion_value, i.roas,
       i.actions, i.action_values, i.purchase_roas, i.synced_at
FROM insights_daily i
LEFT JOIN ad_accounts a ON a.account_id = i.account_id
WHERE i.level = 'account';

CREATE VIEW campaign_insights_daily AS
SELECT i.date, i.account_id, a.currency, i.campaign_id, c.name AS campaign_name,
       c.objective, c.objective_type,
       i.impressions, i.reach, i.clicks, i.spend,
       ROUND(i.spend * 1000 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(i.spend / NULLIF(i.clicks, 0), 6) AS cpc,
       ROUND(i.clicks * 100.0 / NULLIF(i.impressions, 0), 6) AS ctr,
       i.frequency, i.conversions, i.conversion_value, i.roas,
       i.actions, i.action_values, i.purchase_roas, i.synced_at
FROM insights_daily i
LEFT JOIN ad_accounts a ON a.account_id = i.account_id
LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
WHERE i.level = 'campaign';

CREATE VIEW ad_set_insights_daily AS
SELECT i.date, i.account_id, a.currency, i.campaign_id, i.ad_set_id, s.name AS ad_set_name,
       s.optimization_goal,
       i.impressions, i.reach, i.clicks, i.spend,
       ROUND(i.spend * 1000 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(i.spend / NULLIF(i.clicks, 0), 6) AS cpc,
       ROUND(i.clicks * 100.0 / NULLIF(i.impressions, 0), 6) AS ctr,
       i.frequency, i.conversions, i.conversion_value, i.roas,
       i.actions, i.action_values, i.purchase_roas, i.synced_at
FROM insights_daily i
LEFT JOIN ad_accounts a ON a.account_id = i.account_id
LEFT JOIN ad_sets s ON s.ad_set_id = i.ad_set_id
WHERE i.level = 'adset';

CREATE VIEW ad_insights_daily AS
SELECT i.date, i.account_id, a.currency, i.campaign_id, i.ad_set_id, i.ad_id,
       d.name AS ad_name, d.creative_id,
       i.impressions, i.reach, i.clicks, i.spend,
       ROUND(i.spend * 1000 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(i.spend / NULLIF(i.clicks, 0), 6) AS cpc,
       ROUND(i.clicks * 100.0 / NULLIF(i.impressions, 0), 6) AS ctr,
       i.frequency, i.conversions, i.conversion_value, i.roas,
       i.actions, i.action_values, i.purchase_roas, i.synced_at
FROM insights_daily i
LEFT JOIN ad_accounts a ON a.account_id = i.account_id
LEFT JOIN ads d ON d.ad_id = i.ad_id
WHERE i.level = 'ad';
