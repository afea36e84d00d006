-- Notifications (issue 11 §5): each request once by its key, each delivery once per channel and
-- recipient, retried with backoff; and the status page's email subscriptions (double opt-in).
-- Operations tables, numbered below 0100 (ADR 0005): a billing rollback keeps them.
CREATE TABLE notification_requests (
  key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 300),
  template text NOT NULL,
  audience jsonb NOT NULL,
  vars jsonb NOT NULL DEFAULT '{}',
  incident_id bigint REFERENCES incidents (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_key text NOT NULL REFERENCES notification_requests (key) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('email', 'slack', 'webhook', 'console')),
  recipient text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 320),
  subject text NOT NULL,
  body text NOT NULL,
  -- The one-click unsubscribe link of a subscriber's mail (List-Unsubscribe), else null.
  unsubscribe_url text,
  -- sending: claimed by a deliverer; uncertain: its deliverer stopped between send and mark, so it
  -- may have gone out and is never resent by itself (an operator decides: notifications retry).
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  claimed_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  CONSTRAINT notifications_once UNIQUE (request_key, channel, recipient),
  CONSTRAINT notifications_sent_check CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_sending_idx ON notifications (claimed_at) WHERE status = 'sending';
CREATE INDEX notifications_status_idx ON notifications (status, id);

CREATE TABLE status_subscriptions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
  -- sha256 of the token mailed for confirmation; the raw token exists only in that mail.
  confirm_token_hash text NOT NULL UNIQUE,
  -- The unsubscribe link's token goes into every mail, so it is kept as is; it can only unsubscribe.
  unsubscribe_token text NOT NULL UNIQUE,
  -- When the last confirmation mail was queued: one per address per hour, whoever asks.
  confirm_sent_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  CONSTRAINT status_subscriptions_email_key UNIQUE (email)
);
CREATE INDEX status_subscriptions_confirmed_idx ON status_subscriptions (id) WHERE status = 'confirmed';
