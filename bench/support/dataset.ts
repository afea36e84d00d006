// A stand-in for the verify part's generator (same path and signature) so bench/backup.ts runs on
// this branch; at merge the verify part's file replaces this one.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';

/** Users with profiles and live subscriptions, payments spread over them, webhook events in every status. */
export async function seedDataset(
  db: Kysely<Database>,
  size: { users: number; payments: number; events: number },
): Promise<void> {
  await sql`INSERT INTO user_profiles (email, full_name)
    SELECT 'bench-' || g || '@example.com', 'Bench User ' || g FROM generate_series(1, ${size.users}) g`.execute(
    db,
  );
  await sql`INSERT INTO subscriptions (user_id, razorpay_subscription_id, razorpay_plan_id, subscription_tier,
      billing_cycle, plan_amount, status, current_start, current_end, total_count, paid_count)
    SELECT user_id, 'sub_bench' || row_number() OVER (ORDER BY user_id), 'plan_benchnavigator', 'navigator',
      'monthly', 349900, 'active', now() - interval '1 day', now() + interval '29 days', 12, 1
    FROM user_profiles WHERE email LIKE 'bench-%'`.execute(db);
  await sql`WITH s AS (
      SELECT subscription_id, user_id, row_number() OVER (ORDER BY subscription_id) AS rn, count(*) OVER () AS n
      FROM subscriptions WHERE razorpay_subscription_id LIKE 'sub_bench%')
    INSERT INTO payments (subscription_id, user_id, razorpay_payment_id, razorpay_order_id, amount, status, method,
      error_message, created_at)
    SELECT s.subscription_id, s.user_id, 'pay_bench' || g, 'order_bench' || g, 349900,
      (ARRAY['captured', 'captured', 'captured', 'failed', 'authorized'])[1 + g % 5], 'card',
      CASE WHEN g % 5 = 3 THEN 'BAD_REQUEST_ERROR: Payment failed' END,
      now() - (g % 1000) * interval '1 minute'
    FROM generate_series(1, ${size.payments}) g JOIN s ON s.rn = 1 + g % s.n`.execute(db);
  await sql`INSERT INTO razorpay_webhook_events (event_id, event_type, account_id, payload, processing_status,
      error_message, created_at)
    SELECT 'evt_bench' || g, 'payment.captured', 'acc_BFQ7uQEaa7j2z7',
      '{"entity":"event","event":"payment.captured","n":' || g || '}',
      (ARRAY['processed', 'pending', 'failed', 'skipped'])[1 + g % 4],
      CASE WHEN g % 4 = 2 THEN 'subscription not found' END, now() - (g % 600) * interval '1 second'
    FROM generate_series(1, ${size.events}) g`.execute(db);
}
