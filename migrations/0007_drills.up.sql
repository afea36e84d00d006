-- The quarterly backup test (`polaris db drill`): one row per drill, with the time of each phase,
-- so the measured recovery time is on record beside the runbook's 30-60 minutes.
CREATE TABLE drills (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  backup_id text NOT NULL,
  engine text NOT NULL CHECK (engine IN ('postgresql', 'pglite')),
  ok boolean NOT NULL,
  differing text[] NOT NULL DEFAULT '{}',
  phases jsonb NOT NULL,
  recovery_ms integer NOT NULL CHECK (recovery_ms >= 0),
  actor text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX drills_started_at_idx ON drills (started_at DESC);
