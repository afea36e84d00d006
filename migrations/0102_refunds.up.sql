-- Refunds as Razorpay reports them, one row each: pending, then processed or failed (both
-- final). A payment's refunded amount counts the refunds that have not failed.
CREATE TABLE refunds (
  refund_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  razorpay_refund_id text NOT NULL UNIQUE CHECK (razorpay_refund_id ~ '^rfnd_[A-Za-z0-9]+$'),
  payment_id uuid NOT NULL REFERENCES payments (payment_id) ON DELETE CASCADE,
  razorpay_payment_id text NOT NULL CHECK (razorpay_payment_id ~ '^pay_[A-Za-z0-9]+$'),
  amount integer NOT NULL CHECK (amount > 0),
  currency text NOT NULL DEFAULT 'INR',
  status text NOT NULL CHECK (status IN ('pending', 'processed', 'failed')),
  speed_processed text,
  last_event_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX refunds_payment_id_idx ON refunds (payment_id);
CREATE INDEX refunds_razorpay_payment_id_idx ON refunds (razorpay_payment_id);

-- Its own trigger function, not billing's update_user_profiles_updated_at: the runbook's rollback
-- drops that one without CASCADE, which would fail while this trigger still used it.
CREATE FUNCTION update_refunds_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_update_refunds_updated_at
  BEFORE UPDATE ON refunds
  FOR EACH ROW EXECUTE FUNCTION update_refunds_updated_at();
