-- The deployment ledger: one row per server start (polaris start, a Vercel cold start). The set of
-- migrations applied at that start is what `polaris rollback plan` compares: migrations are
-- numbered in two groups (ADR 0005), so the last name alone cannot say what a release knew.
CREATE TABLE deployments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version text NOT NULL CHECK (length(version) BETWEEN 1 AND 64),
  commit_sha text CHECK (commit_sha ~ '^[0-9a-f]{7,40}$'),
  -- The platform's URL of this deployment (Vercel's VERCEL_URL), for `vercel rollback`.
  deployment_url text,
  schema_version text NOT NULL,
  migrations text[] NOT NULL,
  host text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployments_started_at_idx ON deployments (started_at DESC);
CREATE INDEX deployments_commit_sha_idx ON deployments (commit_sha text_pattern_ops);
