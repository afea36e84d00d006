-- One row per `polaris smoke` run the CLI could record: `polaris restore-check` asks whether a run
-- passed within the last hour. Operations table (ADR 0005): it references nothing of billing.
CREATE TABLE smoke_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  ok boolean NOT NULL,
  full_run boolean NOT NULL,
  passed integer NOT NULL CHECK (passed >= 0),
  failed integer NOT NULL CHECK (failed >= 0),
  skipped integer NOT NULL CHECK (skipped >= 0),
  -- Each step's name, status, duration and detail, as the run printed them.
  steps jsonb NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX smoke_runs_finished_at_idx ON smoke_runs (finished_at DESC);
