-- The scheduler (issue 11 §3). Each escalation page and status-update reminder is one row keyed by
-- incident, kind and step: the key makes it fire once across restarts, leader changes and ticks.
-- Operations table (ADR 0005).
CREATE TABLE incident_pages (
  incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('escalation', 'cadence')),
  -- The escalation level, or the reminder's number for this incident.
  step integer NOT NULL CHECK (step >= 1),
  due_at timestamptz NOT NULL,
  sent_at timestamptz NOT NULL,
  notification_key text NOT NULL UNIQUE,
  actor text NOT NULL,
  PRIMARY KEY (incident_id, kind, step)
);

-- Who leads the scheduler now, as the leader last wrote it (the advisory lock is the truth; this
-- row is what an operator reads).
CREATE TABLE scheduler_leader (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  holder text NOT NULL,
  since timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL
);
