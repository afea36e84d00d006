-- Wakes workers the moment an event is stored (LISTEN polaris_inbox); polling stays as the
-- fallback for the embedded database, where notifications do not reach other connections.
CREATE FUNCTION polaris_notify_inbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('polaris_inbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER trigger_notify_inbox
  AFTER INSERT ON razorpay_webhook_events
  FOR EACH STATEMENT EXECUTE FUNCTION polaris_notify_inbox();
