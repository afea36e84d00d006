DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS request_logs;
DROP TABLE IF EXISTS user_profiles;
DROP TABLE IF EXISTS plan_catalog;
