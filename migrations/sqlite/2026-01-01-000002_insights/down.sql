DROP VIEW ad_insights_daily;
DROP VIEW ad_set_insights_daily;
DROP VIEW campaign_insights_daily;
DROP VIEW account_insights_daily;
DROP TABLE insights_daily;
