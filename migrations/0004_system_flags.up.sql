-- The kill switches every instance reads (payments, maintenance, read_only): one row per flag,
-- seeded in its normal state. Each change is an UPDATE plus an audit_log row in one transaction.
CREATE TABLE system_flags (
  name text PRIMARY KEY CHECK (name IN ('payments', 'maintenance', 'read_only')),
  state text NOT NULL CHECK (state IN ('on', 'off')),
  message text CHECK (message IS NULL OR length(message) <= 500),
  reason text NOT NULL CHECK (length(btrim(reason)) > 0 AND length(reason) <= 500),
  actor text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now(),
  -- When set, the flag returns to its normal state at this time (whoever notices first, audited).
  expires_at timestamptz,
  CONSTRAINT system_flags_expiry_check CHECK (expires_at IS NULL OR expires_at > set_at)
);

INSERT INTO system_flags (name, state, reason, actor) VALUES
  ('payments', 'on', 'initial state', 'system'),
  ('maintenance', 'off', 'initial state', 'system'),
  ('read_only', 'off', 'initial state', 'system');

-- Every instance LISTENs on polaris_flags and reloads the three rows; a 1 s poll is the fallback
-- (and the only way on the embedded database, which delivers no notification across connections).
CREATE FUNCTION polaris_notify_flags() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('polaris_flags', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER trigger_notify_flags
  AFTER INSERT OR UPDATE OR DELETE ON system_flags
  FOR EACH STATEMENT EXECUTE FUNCTION polaris_notify_flags();
