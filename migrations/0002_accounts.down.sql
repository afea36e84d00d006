-- Removes everything 0002_accounts.up.sql created; user_profiles rows made for auth users stay.
DROP TRIGGER IF EXISTS trigger_mirror_profile_role_to_auth_user ON user_profiles;
DROP FUNCTION IF EXISTS mirror_profile_role_to_auth_user();
DROP TRIGGER IF EXISTS trigger_create_profile_for_auth_user ON auth_user;
DROP FUNCTION IF EXISTS create_profile_for_auth_user();
DROP TABLE IF EXISTS auth_rate_limit;
DROP TABLE IF EXISTS auth_verification;
DROP TABLE IF EXISTS auth_account;
DROP TABLE IF EXISTS auth_session;
DROP TABLE IF EXISTS auth_user;
