-- Alert rules (issue 11 §4): each rule's last verdict, so a repeat is told from a new alert and an
-- incident resolves itself only after its condition has stayed clear for the policy's time.
-- Operations table (ADR 0005): it references no billing object.
CREATE TABLE alert_states (
  rule_key text PRIMARY KEY CHECK (rule_key ~ '^[a-z][a-z-]{1,62}$'),
  firing boolean NOT NULL DEFAULT false,
  severity text CHECK (severity IS NULL OR severity IN ('critical', 'high', 'medium', 'low')),
  value text NOT NULL DEFAULT '',
  firing_since timestamptz,
  clear_since timestamptz,
  evaluated_at timestamptz NOT NULL,
  CONSTRAINT alert_states_firing_check CHECK (NOT firing OR firing_since IS NOT NULL)
);

-- The checkout and signature rules read the last few requests of one path every few seconds.
CREATE INDEX request_logs_path_timestamp_idx ON request_logs (path, "timestamp");
