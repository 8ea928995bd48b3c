-- Flags become INTEGER 0/1 (what SQLite stored anyway): one store serves
-- SQLite and PostgreSQL through sqlx's Any driver, which cannot read a
-- SQLite column declared BOOLEAN. PostgreSQL keeps BOOLEAN. One column per
-- statement: add, copy, drop the old one, take its name.

ALTER TABLE users ADD COLUMN email_verified_flag INTEGER NOT NULL DEFAULT 0;
UPDATE users SET email_verified_flag = email_verified;
ALTER TABLE users DROP COLUMN email_verified;
ALTER TABLE users RENAME COLUMN email_verified_flag TO email_verified;

ALTER TABLE notification_settings ADD COLUMN enabled_flag INTEGER NOT NULL DEFAULT 0;
UPDATE notification_settings SET enabled_flag = enabled;
ALTER TABLE notification_settings DROP COLUMN enabled;
ALTER TABLE notification_settings RENAME COLUMN enabled_flag TO enabled;

ALTER TABLE privacy_settings ADD COLUMN data_sharing_flag INTEGER NOT NULL DEFAULT 0;
UPDATE privacy_settings SET data_sharing_flag = data_sharing;
ALTER TABLE privacy_settings DROP COLUMN data_sharing;
ALTER TABLE privacy_settings RENAME COLUMN data_sharing_flag TO data_sharing;

ALTER TABLE privacy_settings ADD COLUMN analytics_flag INTEGER NOT NULL DEFAULT 0;
UPDATE privacy_settings SET analytics_flag = analytics;
ALTER TABLE privacy_settings DROP COLUMN analytics;
ALTER TABLE privacy_settings RENAME COLUMN analytics_flag TO analytics;

ALTER TABLE privacy_settings ADD COLUMN personalized_ads_flag INTEGER NOT NULL DEFAULT 0;
UPDATE privacy_settings SET personalized_ads_flag = personalized_ads;
ALTER TABLE privacy_settings DROP COLUMN personalized_ads;
ALTER TABLE privacy_settings RENAME COLUMN personalized_ads_flag TO personalized_ads;

ALTER TABLE subscriptions ADD COLUMN cancel_at_period_end_flag INTEGER NOT NULL DEFAULT 0;
UPDATE subscriptions SET cancel_at_period_end_flag = cancel_at_period_end;
ALTER TABLE subscriptions DROP COLUMN cancel_at_period_end;
ALTER TABLE subscriptions RENAME COLUMN cancel_at_period_end_flag TO cancel_at_period_end;
