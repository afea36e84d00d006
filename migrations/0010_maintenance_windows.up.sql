-- Scheduled maintenance windows (issue 11 §7): stored when scheduled, turned on and off on time by
-- the scheduler through the maintenance flag, shown on the status page. Operations table (ADR 0005).
CREATE TABLE maintenance_windows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  -- The maintenance banner shows it, and a flag's message holds at most 500 characters.
  message text NOT NULL CHECK (length(btrim(message)) > 0 AND length(message) <= 500),
  components text[] NOT NULL DEFAULT '{}'
    CHECK (components <@ ARRAY['checkout', 'webhooks', 'api', 'web', 'database']::text[]),
  notify boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Set once each by the job (conditional updates): the due work lives here, not in memory.
  notice_queued_at timestamptz,
  reminder_queued_at timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  cancelled_by text,
  CONSTRAINT maintenance_windows_span_check CHECK (ends_at > starts_at),
  -- Two live windows never overlap, even when two operators schedule at the same moment.
  CONSTRAINT maintenance_windows_no_overlap EXCLUDE USING gist (tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status IN ('scheduled', 'in_progress'))
);
CREATE INDEX maintenance_windows_open_idx ON maintenance_windows (starts_at)
  WHERE status IN ('scheduled', 'in_progress');
