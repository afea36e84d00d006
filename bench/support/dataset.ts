import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import { PLANS } from '../../src/domain/plans.ts';

// A consistent billing data set built set-based (INSERT … SELECT generate_series), so a million
// payments take seconds: users with profiles, four in ten subscribed, payments spread over the
// subscribers, webhook events in every status. `db verify` finds no error in it.

const SOLD = PLANS.filter((p) => p.purchasable);
const tiers = sql.lit(`{${SOLD.map((p) => p.tier).join(',')}}`);
const perSeat = sql.lit(`{${SOLD.map((p) => p.perSeat).join(',')}}`);
const monthly = sql.lit(`{${SOLD.map((p) => p.pricePaise.monthly).join(',')}}`);
const yearly = sql.lit(`{${SOLD.map((p) => p.pricePaise.yearly).join(',')}}`);
const TIER_COUNT = SOLD.length;

// Status of subscriber k's subscription, by k % 20: mostly active, a few in every other status.
const SUB_STATUS = `(ARRAY['active','active','active','active','active','active','active','active','active','active',
  'active','active','active','pending','halted','cancelled','paused','authenticated','completed','created'])[k % 20 + 1]`;
const EVENT_TYPES = `(ARRAY['payment.captured','subscription.charged','invoice.paid','subscription.activated',
  'payment.failed','payment.authorized','subscription.pending','refund.processed'])`;

/**
 * Fills an empty, migrated database with `users` profiles, `payments` payments and `events`
 * webhook events (issue 10's bench data). Everything is written in one transaction with the sync
 * triggers off, profiles already holding what the triggers would derive; ANALYZE follows.
 */
export async function seedDataset(
  db: Kysely<Database>,
  size: { users: number; payments: number; events: number },
): Promise<void> {
  const subscribers = 4 * Math.floor(size.users / 10) + Math.min(size.users % 10, 4);
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await seedPlans(trx);
    await seedUsers(trx, size.users);
    await seedSubscriptions(trx, subscribers);
    // Payments join the subscriptions just written: without statistics that join is a nested loop.
    await sql`ANALYZE subscriptions`.execute(trx);
    if (subscribers > 0) await seedPayments(trx, size.payments, subscribers);
    await seedEvents(trx, size.events);
  });
  await sql`ANALYZE`.execute(db);
}

// The Razorpay plan of each sold tier and cycle at today's price (kept when sync-plans made it).
async function seedPlans(db: Kysely<Database>) {
  await sql`
    INSERT INTO razorpay_plans (tier, cycle, amount, razorpay_plan_id)
    SELECT t.tier, c.cycle, CASE c.cycle WHEN 'monthly' THEN t.monthly ELSE t.yearly END,
           'plan_DS' || t.tier || c.cycle
    FROM unnest(${tiers}::text[], ${monthly}::int[], ${yearly}::int[]) AS t(tier, monthly, yearly)
    CROSS JOIN (VALUES ('monthly'), ('yearly')) AS c(cycle)
    ON CONFLICT DO NOTHING`.execute(db);
}

// Subscriber k (0-based) is user i = 10·⌊k/4⌋ + k%4 + 1; user i is a subscriber when i % 10 is 1..4.
const subscriberOf = (i: string) => `(((${i}) - 1) / 10 * 4 + ((${i}) - 1) % 10)`;
const userOf = (k: string) => `(10 * ((${k}) / 4) + (${k}) % 4 + 1)`;

// The subscription columns of subscriber k, computed the same way for its user and itself.
const SUB = `
  md5('ds-sub-' || k)::uuid AS sub_id,
  ${SUB_STATUS} AS status,
  k % ${TIER_COUNT} + 1 AS tier_index,
  CASE WHEN k % 4 = 3 THEN 'yearly' ELSE 'monthly' END AS cycle,
  date_trunc('second', now()) - make_interval(days => (k % 28)::int, hours => 1) AS period_start`;

async function seedUsers(db: Kysely<Database>, users: number) {
  await sql`
    INSERT INTO user_profiles (user_id, email, full_name, subscription_tier, subscription_id,
                               usage_period_start, usage_period_end, created_at)
    SELECT md5('ds-user-' || i)::uuid, 'user' || i || '@dataset.example', 'Dataset User ' || i,
           CASE WHEN s.status IN ('active', 'pending') THEN (${tiers}::text[])[s.tier_index] ELSE 'free' END,
           CASE WHEN s.status NOT IN ('cancelled', 'completed', 'expired') THEN s.sub_id END,
           CASE WHEN s.status IN ('active', 'pending') THEN s.period_start END,
           CASE WHEN s.status IN ('active', 'pending') THEN s.period_start
             + CASE s.cycle WHEN 'yearly' THEN interval '1 year' ELSE interval '1 month' END END,
           now() - make_interval(days => (i % 700)::int)
    FROM generate_series(1, ${users}) AS i
    LEFT JOIN LATERAL (SELECT ${sql.raw(SUB)} FROM (SELECT ${sql.raw(subscriberOf('i'))} AS k) kk
                       WHERE i % 10 BETWEEN 1 AND 4) s ON true`.execute(db);
}

async function seedSubscriptions(db: Kysely<Database>, subscribers: number) {
  await sql`
    INSERT INTO subscriptions (subscription_id, user_id, razorpay_subscription_id, razorpay_plan_id,
      razorpay_customer_id, subscription_tier, billing_cycle, seats, plan_amount, status,
      current_start, current_end, charge_at, start_at, ended_at, total_count, paid_count,
      remaining_count, cancelled_at, created_at)
    SELECT s.sub_id, md5('ds-user-' || ${sql.raw(userOf('k'))})::uuid, 'sub_DS' || k,
           'plan_DS' || tier || s.cycle, 'cust_DS' || k, tier, s.cycle, seats,
           CASE s.cycle WHEN 'monthly' THEN (${monthly}::int[])[s.tier_index]
                ELSE (${yearly}::int[])[s.tier_index] END * seats,
           s.status,
           CASE WHEN started THEN s.period_start END,
           CASE WHEN started THEN s.period_start + period END,
           CASE WHEN s.status IN ('active', 'pending', 'halted') THEN s.period_start + period END,
           s.period_start - interval '1 day',
           CASE WHEN s.status IN ('cancelled', 'completed') THEN s.period_start END,
           CASE s.cycle WHEN 'yearly' THEN 5 ELSE 12 END,
           CASE WHEN started THEN 1 + k % 5 ELSE 0 END,
           CASE s.cycle WHEN 'yearly' THEN 5 ELSE 12 END - CASE WHEN started THEN 1 + k % 5 ELSE 0 END,
           CASE WHEN s.status = 'cancelled' THEN s.period_start END,
           s.period_start - interval '1 day'
    FROM generate_series(0, ${subscribers - 1}) AS k
    CROSS JOIN LATERAL (SELECT ${sql.raw(SUB)}) s
    CROSS JOIN LATERAL (SELECT (${tiers}::text[])[s.tier_index] AS tier,
      CASE WHEN (${perSeat}::boolean[])[s.tier_index] THEN 1 + k % 5 ELSE 1 END AS seats,
      s.status NOT IN ('created', 'authenticated') AS started,
      CASE s.cycle WHEN 'yearly' THEN interval '1 year' ELSE interval '1 month' END AS period) d`.execute(db);
}

// Payment j belongs to subscriber j % subscribers, charged its plan price × seats: mostly
// captured, some failed, refunded or authorized; a subscription that never started only failed.
async function seedPayments(db: Kysely<Database>, payments: number, subscribers: number) {
  await sql`
    INSERT INTO payments (subscription_id, user_id, razorpay_payment_id, razorpay_order_id,
      razorpay_invoice_id, amount, status, method, error_code, error_description, error_source,
      error_step, error_reason, error_message, amount_refunded, refund_status, refunded_at,
      captured_at, failed_at, billing_period_start, billing_period_end, created_at)
    SELECT s.subscription_id, s.user_id, 'pay_DS' || j, 'order_DS' || j, 'inv_DS' || j, s.plan_amount, st,
           (ARRAY['card','upi','netbanking','card','upi'])[j % 5 + 1],
           CASE WHEN st = 'failed' THEN 'BAD_REQUEST_ERROR' END,
           CASE WHEN st = 'failed' THEN 'Your payment could not be completed' END,
           CASE WHEN st = 'failed' THEN 'customer' END,
           CASE WHEN st = 'failed' THEN 'payment_authentication' END,
           CASE WHEN st = 'failed' THEN 'payment_failed' END,
           CASE WHEN st = 'failed' THEN 'Payment failed' END,
           CASE WHEN st = 'refunded' THEN s.plan_amount ELSE 0 END,
           CASE WHEN st = 'refunded' THEN 'full' END,
           CASE WHEN st = 'refunded' THEN at + interval '2 days' END,
           CASE WHEN st IN ('captured', 'refunded') THEN at END,
           CASE WHEN st = 'failed' THEN at END,
           at, at + interval '1 month', at
    FROM generate_series(1, ${payments}) AS j
    JOIN subscriptions s ON s.subscription_id = md5('ds-sub-' || (j % ${subscribers}))::uuid
    CROSS JOIN LATERAL (SELECT
      CASE WHEN s.status IN ('created', 'authenticated') OR j % 20 = 7 THEN 'failed'
           WHEN j % 50 = 3 THEN 'refunded' WHEN j % 100 = 11 THEN 'authorized' ELSE 'captured' END AS st,
      now() - make_interval(days => (j % 365)::int, secs => (j % 86400)::int) AS at) p`.execute(db);
}

// Events: processed mostly, some skipped and failed; pending and processing ones are recent
// (a worker keeps up), so verify reports only the failed ones, as a warning.
async function seedEvents(db: Kysely<Database>, events: number) {
  await sql`
    INSERT INTO razorpay_webhook_events (event_id, event_type, account_id, entity_id, event_created_at,
      payload, processing_status, attempts, next_attempt_at, error_message, created_at, processed_at)
    SELECT 'evt_DS' || n, et, 'acc_DSpolaris', 'pay_DS' || n, at,
           json_build_object('entity', 'event', 'account_id', 'acc_DSpolaris', 'event', et,
             'contains', json_build_array('payment'), 'created_at', extract(epoch FROM at)::bigint,
             'payload', json_build_object('payment', json_build_object('entity',
               json_build_object('id', 'pay_DS' || n, 'entity', 'payment', 'amount', 159900,
                                 'currency', 'INR', 'status', 'captured'))))::text,
           st,
           CASE st WHEN 'pending' THEN 0 WHEN 'failed' THEN 8 ELSE 1 END,
           CASE st WHEN 'processing' THEN now() + interval '30 seconds' ELSE at END,
           CASE st WHEN 'failed' THEN 'subscription not found on Razorpay'
                   WHEN 'skipped' THEN 'event type not handled' END,
           at,
           CASE WHEN st IN ('processed', 'failed', 'skipped') THEN at + interval '1 second' END
    FROM generate_series(1, ${events}) AS n
    CROSS JOIN LATERAL (SELECT
      ${sql.raw(EVENT_TYPES)}[n % 8 + 1] AS et,
      CASE n % 100 WHEN 1 THEN 'failed' WHEN 2 THEN 'skipped' WHEN 3 THEN 'skipped'
                   WHEN 4 THEN 'pending' WHEN 5 THEN 'processing' ELSE 'processed' END AS st) e
    CROSS JOIN LATERAL (SELECT CASE WHEN e.st IN ('pending', 'processing')
      THEN now() - make_interval(secs => (n % 60)::int)
      ELSE now() - make_interval(mins => (10 + n % 43200)::int) END AS at) t`.execute(db);
}
