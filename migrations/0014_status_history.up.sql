-- Component state history (issue 11 §6): what recordComponentStates saw, one row per unbroken
-- stretch of one state, from started_at to the last run that saw it (checked_at). The status
-- page's uptime bars are drawn from it; a gap between rows is time nobody observed.
-- Operations table (ADR 0005): a billing rollback keeps it.
CREATE TABLE component_state_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  component text NOT NULL
    CHECK (component IN ('checkout', 'webhooks', 'api', 'web', 'database')),
  state text NOT NULL CHECK (state IN (
    'operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
  started_at timestamptz NOT NULL,
  checked_at timestamptz NOT NULL,
  CONSTRAINT component_state_history_span_check CHECK (checked_at >= started_at)
);
-- Two runs racing at the same instant cannot both start a stretch.
CREATE UNIQUE INDEX component_state_history_start_idx ON component_state_history (component, started_at);
CREATE INDEX component_state_history_checked_idx ON component_state_history (checked_at);
