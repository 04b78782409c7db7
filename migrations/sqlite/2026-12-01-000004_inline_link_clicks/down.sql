DROP VIEW ad_insights_daily;
DROP VIEW ad_set_insights_daily;
DROP VIEW campaign_insights_daily;
DROP VIEW account_insights_daily;

ALTER TABLE insights_daily DROP COLUMN inline_link_clicks;

CREATE VIEW account_insights_daily AS
SELECT i.date, i.account_id, a.name AS account_name, a.currency,
       i.impressions, i.reach, i.clicks, i.spend,
       ROUND(CAST(i.spend AS REAL) * 1000.0 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(CAST(i.spend AS REAL) / NULLIF(i.clicks, 0), 6) AS cpc,
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
       ROUND(CAST(i.spend AS REAL) * 1000.0 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(CAST(i.spend AS REAL) / NULLIF(i.clicks, 0), 6) AS cpc,
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
       ROUND(CAST(i.spend AS REAL) * 1000.0 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(CAST(i.spend AS REAL) / NULLIF(i.clicks, 0), 6) AS cpc,
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
       ROUND(CAST(i.spend AS REAL) * 1000.0 / NULLIF(i.impressions, 0), 6) AS cpm,
       ROUND(CAST(i.spend AS REAL) / NULLIF(i.clicks, 0), 6) AS cpc,
       ROUND(i.clicks * 100.0 / NULLIF(i.impressions, 0), 6) AS ctr,
       i.frequency, i.conversions, i.conversion_value, i.roas,
       i.actions, i.action_values, i.purchase_roas, i.synced_at
FROM insights_daily i
LEFT JOIN ad_accounts a ON a.account_id = i.account_id
LEFT JOIN ads d ON d.ad_id = i.ad_id
WHERE i.level = 'ad';
