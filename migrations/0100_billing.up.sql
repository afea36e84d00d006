-- Billing: Razorpay subscriptions, payments, the webhook inbox, the usage counters and the five
-- functions the runbook names. Its down file is the runbook's own "Migration-Specific Rollback",
-- statement for statement, so everything created here must be something that rollback removes:
-- no other functions, types or tables (a trigger function shared by all updated_at triggers is
-- update_user_profiles_updated_at for that reason).

-- 1. user_profiles: tier, the live subscription, usage counters.
ALTER TABLE user_profiles ADD COLUMN subscription_tier text NOT NULL DEFAULT 'free'
  CONSTRAINT user_profiles_subscription_tier_check
  CHECK (subscription_tier IN ('free', 'explorer', 'navigator', 'voyager', 'crew', 'fleet', 'armada', 'enterprise', 'developer'));
ALTER TABLE user_profiles ADD COLUMN subscription_id uuid;
ALTER TABLE user_profiles ADD COLUMN blueprint_creation_count integer NOT NULL DEFAULT 0
  CONSTRAINT user_profiles_blueprint_creation_count_check CHECK (blueprint_creation_count >= 0);
ALTER TABLE user_profiles ADD COLUMN blueprint_saving_count integer NOT NULL DEFAULT 0
  CONSTRAINT user_profiles_blueprint_saving_count_check CHECK (blueprint_saving_count >= 0);

-- 2. subscriptions: one row per Razorpay subscription; statuses are Razorpay's own.
CREATE TABLE subscriptions (
  subscription_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES user_profiles (user_id) ON DELETE RESTRICT,
  razorpay_subscription_id text UNIQUE CHECK (razorpay_subscription_id ~ '^sub_[A-Za-z0-9]+$'),
  razorpay_plan_id text,
  razorpay_customer_id text,
  subscription_tier text NOT NULL
    CHECK (subscription_tier IN ('explorer', 'navigator', 'voyager', 'crew', 'fleet', 'armada', 'enterprise', 'developer')),
  billing_cycle text NOT NULL CHECK (billing_cycle IN ('monthly', 'yearly')),
  seats integer NOT NULL DEFAULT 1 CHECK (seats >= 1),
  plan_amount integer NOT NULL CHECK (plan_amount >= 0),
  currency text NOT NULL DEFAULT 'INR' CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL DEFAULT 'created'
    CHECK (status IN ('created', 'authenticated', 'active', 'pending', 'halted', 'cancelled', 'completed', 'expired', 'paused')),
  current_start timestamptz,
  current_end timestamptz,
  charge_at timestamptz,
  start_at timestamptz,
  ended_at timestamptz,
  total_count integer CHECK (total_count >= 0),
  paid_count integer NOT NULL DEFAULT 0 CHECK (paid_count >= 0),
  remaining_count integer CHECK (remaining_count >= 0),
  auth_attempts integer NOT NULL DEFAULT 0 CHECK (auth_attempts >= 0),
  -- Razorpay shows nothing until current_end, so we record the request ourselves.
  cancel_at_cycle_end boolean NOT NULL DEFAULT false,
  cancelled_at timestamptz,
  -- created_at of the last Razorpay event applied: older events never move the row backwards.
  last_event_at timestamptz,
  notes jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (current_end IS NULL OR current_start IS NULL OR current_end >= current_start),
  CHECK (total_count IS NULL OR paid_count <= total_count)
);
-- At most one live subscription per user: a plan change replaces it, never adds a second.
CREATE UNIQUE INDEX subscriptions_one_live_per_user ON subscriptions (user_id)
  WHERE status IN ('created', 'authenticated', 'active', 'pending', 'halted', 'paused');
CREATE INDEX subscriptions_status_idx ON subscriptions (status);

ALTER TABLE user_profiles ADD CONSTRAINT user_profiles_subscription_id_fkey
  FOREIGN KEY (subscription_id) REFERENCES subscriptions (subscription_id) ON DELETE SET NULL;

-- 3. payments: amounts in paise; Razorpay's error fields plus the error_message the runbook groups by.
CREATE TABLE payments (
  payment_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subscription_id uuid REFERENCES subscriptions (subscription_id) ON DELETE RESTRICT,
  user_id uuid REFERENCES user_profiles (user_id) ON DELETE RESTRICT,
  razorpay_payment_id text NOT NULL UNIQUE CHECK (razorpay_payment_id ~ '^pay_[A-Za-z0-9]+$'),
  razorpay_order_id text,
  razorpay_invoice_id text,
  amount integer NOT NULL CHECK (amount >= 0),
  currency text NOT NULL DEFAULT 'INR' CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('created', 'authorized', 'captured', 'refunded', 'failed')),
  method text,
  error_code text,
  error_description text,
  error_source text,
  error_step text,
  error_reason text,
  error_message text,
  amount_refunded integer NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0),
  refund_status text CHECK (refund_status IN ('partial', 'full')),
  refunded_at timestamptz,
  captured_at timestamptz,
  failed_at timestamptz,
  billing_period_start timestamptz,
  billing_period_end timestamptz,
  last_event_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_refund_within_amount CHECK (amount_refunded <= amount),
  CONSTRAINT payments_refunded_is_full CHECK (status <> 'refunded' OR amount_refunded = amount)
);
CREATE INDEX payments_created_at_idx ON payments (created_at);
CREATE INDEX payments_subscription_id_idx ON payments (subscription_id);
CREATE INDEX payments_user_id_idx ON payments (user_id, created_at);

-- 4. The webhook inbox: the exact raw body keyed by X-Razorpay-Event-Id.
CREATE TABLE razorpay_webhook_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL UNIQUE CHECK (length(event_id) BETWEEN 1 AND 64),
  event_type text NOT NULL,
  account_id text,
  entity_id text,
  event_created_at timestamptz,
  payload text NOT NULL,
  processing_status text NOT NULL DEFAULT 'pending'
    CHECK (processing_status IN ('pending', 'processing', 'processed', 'failed', 'skipped')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  error_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  CONSTRAINT razorpay_webhook_events_failed_has_error CHECK (processing_status <> 'failed' OR error_message IS NOT NULL)
);
CREATE INDEX razorpay_webhook_events_due_idx ON razorpay_webhook_events (next_attempt_at)
  WHERE processing_status IN ('pending', 'processing');
CREATE INDEX razorpay_webhook_events_created_at_idx ON razorpay_webhook_events (created_at);

-- 5. updated_at triggers (one function for all, since the rollback drops only this one).
CREATE FUNCTION update_user_profiles_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_update_user_profiles_updated_at
  BEFORE UPDATE ON user_profiles
  FOR EACH ROW EXECUTE FUNCTION update_user_profiles_updated_at();
CREATE TRIGGER trigger_update_subscriptions_updated_at
  BEFORE UPDATE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION update_user_profiles_updated_at();
CREATE TRIGGER trigger_update_payments_updated_at
  BEFORE UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION update_user_profiles_updated_at();

-- 6. The live subscription of a user (at most one exists, by the partial unique index).
CREATE FUNCTION get_active_subscription(p_user_id uuid) RETURNS SETOF subscriptions
LANGUAGE sql STABLE AS $$
  SELECT * FROM subscriptions
  WHERE user_id = p_user_id
    AND status IN ('created', 'authenticated', 'active', 'pending', 'halted', 'paused')
  ORDER BY created_at DESC
  LIMIT 1;
$$;

-- 7. Cancel the user's live subscription: at cycle end (a flag; access continues until
-- current_end, as on Razorpay) or now. A subscription that never started cancels now either way.
CREATE FUNCTION cancel_subscription(p_user_id uuid, p_at_cycle_end boolean DEFAULT true) RETURNS subscriptions
LANGUAGE plpgsql AS $$
DECLARE
  s subscriptions;
BEGIN
  SELECT * INTO s FROM subscriptions
  WHERE user_id = p_user_id
    AND status IN ('created', 'authenticated', 'active', 'pending', 'halted', 'paused')
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'user % has no live subscription to cancel', p_user_id USING ERRCODE = 'P0002';
  END IF;

  IF p_at_cycle_end AND s.status IN ('active', 'pending') AND s.current_end IS NOT NULL THEN
    UPDATE subscriptions SET cancel_at_cycle_end = true
    WHERE subscription_id = s.subscription_id
    RETURNING * INTO s;
  ELSE
    UPDATE subscriptions
    SET status = 'cancelled', cancel_at_cycle_end = false, cancelled_at = now(), ended_at = now()
    WHERE subscription_id = s.subscription_id
    RETURNING * INTO s;
  END IF;
  RETURN s;
END;
$$;

-- 8. Keep user_profiles in step with the live subscription. Paid access in active and pending
-- (Razorpay is still retrying); a new paid period resets the counters; when the subscription ends
-- the user is back on free with its lifetime allowance. The role is never touched.
CREATE FUNCTION sync_subscription_to_user_profile() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  grants_access boolean := NEW.status IN ('active', 'pending');
BEGIN
  IF NEW.status IN ('created', 'authenticated', 'active', 'pending', 'halted', 'paused') THEN
    UPDATE user_profiles up SET
      subscription_id = NEW.subscription_id,
      subscription_tier = CASE WHEN grants_access THEN NEW.subscription_tier ELSE 'free' END,
      blueprint_creation_count = CASE
        WHEN grants_access AND NEW.current_start IS NOT NULL
          AND up.usage_period_start IS DISTINCT FROM NEW.current_start THEN 0
        ELSE up.blueprint_creation_count END,
      blueprint_saving_count = CASE
        WHEN grants_access AND NEW.current_start IS NOT NULL
          AND up.usage_period_start IS DISTINCT FROM NEW.current_start THEN 0
        ELSE up.blueprint_saving_count END,
      usage_period_start = CASE
        WHEN grants_access AND NEW.current_start IS NOT NULL THEN NEW.current_start
        WHEN grants_access THEN up.usage_period_start
        ELSE NULL END,
      usage_period_end = CASE
        WHEN grants_access AND NEW.current_start IS NOT NULL THEN NEW.current_end
        WHEN grants_access THEN up.usage_period_end
        ELSE NULL END
    WHERE up.user_id = NEW.user_id;
  ELSE
    UPDATE user_profiles up SET
      subscription_id = NULL,
      subscription_tier = 'free',
      usage_period_start = NULL,
      usage_period_end = NULL
    WHERE up.user_id = NEW.user_id
      AND (up.subscription_id = NEW.subscription_id OR up.subscription_id IS NULL);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER trigger_sync_subscription_to_user_profile
  AFTER INSERT OR UPDATE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION sync_subscription_to_user_profile();

-- 9. Usage of a user in the current period; limit and remaining are NULL when unlimited. Limits
-- come from plan_catalog (written from src/domain/plans.ts); team tiers multiply by seats.
CREATE FUNCTION calculate_user_blueprint_stats(p_user_id uuid)
RETURNS TABLE (
  subscription_tier text,
  blueprints_created integer,
  blueprints_saved integer,
  blueprint_limit integer,
  blueprints_remaining integer,
  period_start timestamptz,
  period_end timestamptz
)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  up user_profiles;
  pc plan_catalog;
  seat_count integer := 1;
  lim integer;
BEGIN
  SELECT * INTO up FROM user_profiles WHERE user_id = p_user_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no user profile %', p_user_id USING ERRCODE = 'P0002';
  END IF;
  SELECT * INTO pc FROM plan_catalog WHERE tier = up.subscription_tier;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'plan_catalog has no tier %; run polaris db migrate to sync it', up.subscription_tier
      USING ERRCODE = 'P0002';
  END IF;
  IF pc.per_seat AND up.subscription_id IS NOT NULL THEN
    SELECT s.seats INTO seat_count FROM subscriptions s WHERE s.subscription_id = up.subscription_id;
    seat_count := coalesce(seat_count, 1);
  END IF;
  lim := CASE WHEN pc.blueprint_limit IS NULL THEN NULL
              WHEN pc.per_seat THEN pc.blueprint_limit * seat_count
              ELSE pc.blueprint_limit END;
  RETURN QUERY SELECT
    up.subscription_tier,
    up.blueprint_creation_count,
    up.blueprint_saving_count,
    lim,
    CASE WHEN lim IS NULL THEN NULL ELSE greatest(lim - up.blueprint_creation_count, 0) END,
    up.usage_period_start,
    up.usage_period_end;
END;
$$;

-- 10. Atomic check-and-increment: the profile row is locked, so two requests at the last free
-- unit serialise and exactly one gets it. Returns allowed = false at the limit, never raises.
CREATE FUNCTION increment_blueprint_creation_count(p_user_id uuid)
RETURNS TABLE (allowed boolean, blueprints_created integer, blueprint_limit integer, blueprints_remaining integer)
LANGUAGE plpgsql AS $$
DECLARE
  st record;
BEGIN
  PERFORM 1 FROM user_profiles WHERE user_id = p_user_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no user profile %', p_user_id USING ERRCODE = 'P0002';
  END IF;
  SELECT * INTO st FROM calculate_user_blueprint_stats(p_user_id);
  IF st.blueprint_limit IS NOT NULL AND st.blueprints_created >= st.blueprint_limit THEN
    RETURN QUERY SELECT false, st.blueprints_created, st.blueprint_limit, 0;
    RETURN;
  END IF;
  UPDATE user_profiles SET blueprint_creation_count = blueprint_creation_count + 1 WHERE user_id = p_user_id;
  RETURN QUERY SELECT
    true,
    st.blueprints_created + 1,
    st.blueprint_limit,
    CASE WHEN st.blueprint_limit IS NULL THEN NULL ELSE st.blueprint_limit - st.blueprints_created - 1 END;
END;
$$;
