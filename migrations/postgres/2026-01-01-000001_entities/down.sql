DROP TABLE ad_creatives;
DROP TABLE ads;
DROP TABLE ad_sets;
DROP TABLE campaigns;
DROP TABLE ad_accounts;
