-- IF EXISTS: after the runbook's rollback SQL (pasted by hand) the tables may be gone already.
DROP INDEX IF EXISTS razorpay_webhook_events_failed_idx;
DROP INDEX IF EXISTS razorpay_webhook_events_waiting_idx;
DROP INDEX IF EXISTS payments_failed_at_idx;
DROP INDEX IF EXISTS payments_captured_at_idx;
-- The index 0100 made, back only where payments still exists.
DO $$
BEGIN
  IF to_regclass('payments') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS payments_user_id_idx ON payments (user_id, created_at);
  END IF;
END
$$;
DROP INDEX IF EXISTS payments_user_history_idx;
