DROP TRIGGER IF EXISTS trigger_notify_inbox ON razorpay_webhook_events;
DROP FUNCTION IF EXISTS polaris_notify_inbox();
