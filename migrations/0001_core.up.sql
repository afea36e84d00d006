-- Core tables that exist before billing: identities, request logs, the audit log and the plan
-- catalog. plan_catalog rows are written from src/domain/plans.ts after every migrate (never by hand).

CREATE TABLE plan_catalog (
  tier text PRIMARY KEY,
  blueprint_limit integer CHECK (blueprint_limit IS NULL OR blueprint_limit >= 0),
  per_seat boolean NOT NULL DEFAULT false,
  price_monthly_paise integer NOT NULL CHECK (price_monthly_paise >= 0),
  price_yearly_paise integer NOT NULL CHECK (price_yearly_paise >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_profiles (
  user_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (position('@' in email) > 1),
  full_name text,
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  -- The current usage period; NULL start means the free tier's lifetime allowance.
  usage_period_start timestamptz,
  usage_period_end timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_profiles_usage_period_check CHECK (usage_period_end IS NULL OR usage_period_start IS NULL OR usage_period_end > usage_period_start)
);
CREATE UNIQUE INDEX user_profiles_email_key ON user_profiles (lower(email));

CREATE TABLE request_logs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid,
  method text NOT NULL,
  path text NOT NULL,
  status integer NOT NULL CHECK (status BETWEEN 100 AND 599),
  ip text,
  duration_ms integer CHECK (duration_ms >= 0),
  request_id text,
  "timestamp" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_logs_timestamp_idx ON request_logs ("timestamp");
CREATE INDEX request_logs_user_id_idx ON request_logs (user_id, "timestamp");

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  reason text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at);
