-- Checkout and quotas: the Razorpay plan behind each tier, cycle and price, and the blueprints
-- users store within their quota. Nothing here is named by the runbook, so the rollback is ours.

-- One row per Razorpay plan we created or adopted. Razorpay plans are immutable, so a price change
-- is a new row (a new plan); the current plan of a tier and cycle is the row with today's price.
CREATE TABLE razorpay_plans (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tier text NOT NULL CHECK (tier ~ '^[a-z]+$'),
  cycle text NOT NULL CHECK (cycle IN ('monthly', 'yearly')),
  -- Per seat for team tiers (Razorpay multiplies by the subscription's quantity); paise.
  amount integer NOT NULL CHECK (amount >= 100),
  currency text NOT NULL DEFAULT 'INR' CHECK (currency ~ '^[A-Z]{3}$'),
  razorpay_plan_id text NOT NULL CHECK (razorpay_plan_id ~ '^plan_[A-Za-z0-9]+$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT razorpay_plans_razorpay_plan_id_key UNIQUE (razorpay_plan_id),
  CONSTRAINT razorpay_plans_tier_cycle_amount_key UNIQUE (tier, cycle, amount, currency)
);

-- Blueprints: JSON the client supplies; this service meters and stores them, it does not generate them.
CREATE TABLE blueprints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES user_profiles (user_id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  content jsonb NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'saved')),
  -- A save is counted once per blueprint: saved_at is set by the first save only.
  saved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT blueprints_saved_has_time CHECK ((status = 'saved') = (saved_at IS NOT NULL))
);
CREATE INDEX blueprints_user_id_idx ON blueprints (user_id, created_at DESC) WHERE deleted_at IS NULL;
