-- IF EXISTS: after the runbook's rollback SQL (pasted by hand) the table may be gone already.
DROP INDEX IF EXISTS razorpay_webhook_events_secret_fingerprint_idx;
ALTER TABLE IF EXISTS razorpay_webhook_events DROP COLUMN IF EXISTS secret_fingerprint;
