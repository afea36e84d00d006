-- The reads of the web pages and of GET /metrics at 1M payments (bench/pages.ts EXPLAINs each).
-- A user's payment history paged by keyset (created_at, payment_id): one index range per page.
CREATE INDEX payments_user_history_idx ON payments (user_id, created_at, payment_id);
DROP INDEX payments_user_id_idx;

-- Payments captured / failed since a moment (the /metrics scrape): only rows that have the time.
CREATE INDEX payments_captured_at_idx ON payments (captured_at) WHERE captured_at IS NOT NULL;
CREATE INDEX payments_failed_at_idx ON payments (failed_at) WHERE failed_at IS NOT NULL;

-- The inbox's oldest pending event and its failed ones (admin overview, retry), without a scan
-- of every processed event.
CREATE INDEX razorpay_webhook_events_waiting_idx ON razorpay_webhook_events (created_at, id)
  WHERE processing_status IN ('pending', 'processing');
CREATE INDEX razorpay_webhook_events_failed_idx ON razorpay_webhook_events (created_at, id)
  WHERE processing_status = 'failed';
