-- Accounts: better-auth's tables (email and password, sessions, the admin plugin's ban fields) and
-- the link to user_profiles. Column names are the ones src/adapters/auth/options.ts maps to.
-- user_profiles stays the source of truth for role; auth_user.role only mirrors it.

CREATE TABLE auth_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  -- better-auth lower-cases addresses before it writes them.
  email text NOT NULL CONSTRAINT auth_user_email_key UNIQUE CHECK (position('@' in email) > 1),
  email_verified boolean NOT NULL DEFAULT false,
  image text,
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  banned boolean NOT NULL DEFAULT false,
  ban_reason text,
  ban_expires timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth_session (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
  token text NOT NULL CONSTRAINT auth_session_token_key UNIQUE,
  expires_at timestamptz NOT NULL,
  ip_address text,
  user_agent text,
  impersonated_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_session_user_id_idx ON auth_session (user_id);

CREATE TABLE auth_account (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  provider_id text NOT NULL,
  access_token text,
  refresh_token text,
  id_token text,
  access_token_expires_at timestamptz,
  refresh_token_expires_at timestamptz,
  scope text,
  -- scrypt hash written by better-auth; never the password itself.
  password text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT auth_account_provider_key UNIQUE (provider_id, account_id)
);
CREATE INDEX auth_account_user_id_idx ON auth_account (user_id);

CREATE TABLE auth_verification (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  identifier text NOT NULL,
  value text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_verification_identifier_idx ON auth_verification (identifier);

-- The sign-in rate limiter lives here rather than in memory, so it holds across instances.
CREATE TABLE auth_rate_limit (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL CONSTRAINT auth_rate_limit_key_key UNIQUE,
  count integer NOT NULL,
  last_request bigint NOT NULL
);

-- Every auth user gets exactly one profile in the same statement, whichever code path inserts it.
-- The role is taken from the insert only because no public route can set it (input: false).
CREATE FUNCTION create_profile_for_auth_user() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_profiles (user_id, email, full_name, role)
  VALUES (NEW.id, NEW.email, NULLIF(btrim(NEW.name), ''), CASE WHEN NEW.role = 'admin' THEN 'admin' ELSE 'user' END);
  RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_create_profile_for_auth_user
  AFTER INSERT ON auth_user
  FOR EACH ROW EXECUTE FUNCTION create_profile_for_auth_user();

-- A role change on the profile is mirrored to better-auth's admin-plugin column.
CREATE FUNCTION mirror_profile_role_to_auth_user() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE auth_user SET role = NEW.role, updated_at = now()
  WHERE id = NEW.user_id AND role IS DISTINCT FROM NEW.role;
  RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_mirror_profile_role_to_auth_user
  AFTER UPDATE OF role ON user_profiles
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
  EXECUTE FUNCTION mirror_profile_role_to_auth_user();
