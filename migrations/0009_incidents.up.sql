-- Incidents (issue 11 §1): the runbook's severities, types and components, one row per incident,
-- and its timeline. Operations tables, numbered below 0100 (ADR 0005): a billing rollback keeps them.
CREATE TABLE incidents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL CHECK (length(btrim(title)) > 0 AND length(title) <= 200),
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  type text NOT NULL CHECK (type IN (
    'payment', 'payment.processing', 'payment.webhooks', 'payment.razorpay-api', 'payment.subscriptions',
    'infrastructure', 'infrastructure.deployment', 'infrastructure.database', 'infrastructure.cdn',
    'infrastructure.ssl',
    'security', 'security.unauthorized-access', 'security.data-exposure', 'security.key-compromise',
    'security.ddos')),
  status text NOT NULL DEFAULT 'investigating'
    CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  components text[] NOT NULL DEFAULT '{}'
    CHECK (components <@ ARRAY['checkout', 'webhooks', 'api', 'web', 'database']::text[]),
  commander text CHECK (commander IS NULL OR length(btrim(commander)) > 0),
  -- The alert rule that opened it (later issue 11 §4); one open incident per rule, enforced below.
  rule_key text,
  opened_by text NOT NULL,
  started_at timestamptz NOT NULL,
  detected_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at timestamptz,
  updated_at timestamptz NOT NULL,
  -- Bumped by every change: a change applies only to the revision it read (no lost update).
  revision integer NOT NULL DEFAULT 1,
  CONSTRAINT incidents_started_check CHECK (started_at <= detected_at),
  CONSTRAINT incidents_ack_check CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
  CONSTRAINT incidents_resolved_check CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX incidents_open_rule_idx ON incidents (rule_key)
  WHERE rule_key IS NOT NULL AND status <> 'resolved';
CREATE INDEX incidents_open_idx ON incidents (id) WHERE status <> 'resolved';
CREATE INDEX incidents_detected_at_idx ON incidents (detected_at DESC);

-- What happened, automatic (alerts, flags, escalations, runs) and manual (notes, status updates);
-- public entries are what a status page may show.
CREATE TABLE incident_timeline (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'opened', 'acknowledged', 'status_update', 'resolved', 'note', 'flag', 'emergency', 'alert',
    'escalation', 'notification', 'backup', 'restore', 'verify', 'smoke', 'reconcile')),
  status text CHECK (status IS NULL OR status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  message text NOT NULL CHECK (length(btrim(message)) > 0 AND length(message) <= 2000),
  public boolean NOT NULL DEFAULT false,
  actor text NOT NULL
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, at, id);
