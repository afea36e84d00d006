-- Razorpay's hosted page for a subscription (`short_url`), where a subscriber whose renewal
-- failed can pay with another card. Stored at checkout; NULL for rows from before this migration
-- until a fetched snapshot carries it.
ALTER TABLE subscriptions
  ADD COLUMN short_url text
  CONSTRAINT subscriptions_short_url_http CHECK (short_url ~ '^https?://');
