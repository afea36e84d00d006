DROP TRIGGER IF EXISTS trigger_clear_password_reset_required ON auth_account;
DROP FUNCTION IF EXISTS clear_password_reset_required();
ALTER TABLE user_profiles DROP COLUMN IF EXISTS password_reset_required_at;
DROP INDEX IF EXISTS request_logs_ip_idx;
ALTER TABLE request_logs DROP COLUMN IF EXISTS user_agent;
