-- Link clicks (Meta's `inline_link_clicks`, Ads Manager's "Link clicks"). NULL on rows stored
-- before this migration until a sync rewrites them (recent days are rewritten on every sync);
-- a row synced since holds Meta's count, 0 when Meta omits the field (no data). The per-level
-- views are rebuilt to carry the column next to `clicks`.
DROP VIEW ad_insights_daily;
DROP VIEW ad_set_insights_daily;
DROP VIEW campaign_insights_daily;
DROP VIEW account_insights_daily;

ALTER TABLE insights_daily ADD COLUMN inline_link_clicks BIGINT CHECK (inline_link_clicks >= 0);

CREATE VIEW account_insights_daily AS
SELECT i.date, i.account_id, a.name AS account_name, a.currency,
       i.impressions, i.reach, i.clicks, i.inline_link_clicks, i.spend,
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
       i.impressions, i.reach, i.clicks, i.inline_link_clicks, i.spend,
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
       i.impressions, i.reach, i.clicks, i.inline_link_clicks, i.spend,
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
       i.impressions, i.reach, i.clicks, i.inline_link_clicks, i.spend,
       ROUND(i.spend * 1000 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(i.spend / NULLIF(i.clicks, 0), 6) AS cpc,
       ROUND(i.clicks * 100.0 / NULLIF(i.impressions, 0), 6) AS ctr,
       i.frequency, i.conversions, i.conversion_value, i.roas,
       i.actions, i.action_values, i.purchase_roas, i.synced_at
FROM insights_daily i
LEFT JOIN ad_accounts a ON a.account_id = i.account_id
LEFT JOIN ads d ON d.ad_id = i.ad_id
WHERE i.level = 'ad';
