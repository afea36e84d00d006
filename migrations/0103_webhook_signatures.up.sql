-- Which webhook secret verified each stored event, as a fingerprint (16 hex of an HMAC keyed with
-- the secret, never the secret), so `polaris secrets status` can tell when the previous secret
-- of a rotation stopped being used. NULL for events stored before this migration.
ALTER TABLE razorpay_webhook_events
  ADD COLUMN secret_fingerprint text
  CONSTRAINT razorpay_webhook_events_secret_fingerprint_hex
  CHECK (secret_fingerprint ~ '^[0-9a-f]{16}$');

CREATE INDEX razorpay_webhook_events_secret_fingerprint_idx
  ON razorpay_webhook_events (secret_fingerprint, created_at);
