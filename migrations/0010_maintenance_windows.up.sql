-- Scheduled maintenance windows (issue 11 §7): stored when scheduled, turned on and off on time by
-- the scheduler through the maintenance flag, shown on the status page. Operations table (ADR 0005).
CREATE TABLE maintenance_windows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  message text NOT NULL CHECK (length(btrim(message)) > 0 AND length(message) <= 2000),
  components text[] NOT NULL DEFAULT '{}'
    CHECK (components <@ ARRAY['checkout', 'webhooks', 'api', 'web', 'database']::text[]),
  notify boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT maintenance_windows_span_check CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_windows_open_idx ON maintenance_windows (starts_at)
  WHERE status IN ('scheduled', 'in_progress');
