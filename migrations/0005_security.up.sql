-- Security response (issue 9 §3): the user agent in the request log, an index for per-address
-- queries, and the password-reset requirement on the profile, cleared by the password change itself.

ALTER TABLE request_logs ADD COLUMN user_agent text;
CREATE INDEX request_logs_ip_idx ON request_logs (ip, "timestamp");

-- Set by `polaris users require-password-reset`; sign-in answers 403 password_reset_required while set.
ALTER TABLE user_profiles ADD COLUMN password_reset_required_at timestamptz;

-- A new password (the reset, or any other change) lifts the requirement in the same transaction.
CREATE FUNCTION clear_password_reset_required() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE user_profiles SET password_reset_required_at = NULL, updated_at = now()
  WHERE user_id = NEW.user_id AND password_reset_required_at IS NOT NULL;
  RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_clear_password_reset_required
  AFTER UPDATE OF password ON auth_account
  FOR EACH ROW WHEN (NEW.provider_id = 'credential' AND OLD.password IS DISTINCT FROM NEW.password)
  EXECUTE FUNCTION clear_password_reset_required();
