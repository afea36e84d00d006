import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import type { PaymentStatus, SubscriptionStatus } from '../../src/domain/billing-state.ts';
import type { PaidTier } from '../../src/domain/plans.ts';

/** Creates a user profile and returns its id. */
export async function createUser(db: Kysely<Database>, email: string, role: 'user' | 'admin' = 'user') {
  const row = await db
    .insertInto('user_profiles')
    .values({ email, role })
    .returning('user_id')
    .executeTakeFirstOrThrow();
  return row.user_id;
}

let counter = 0;
/** A Razorpay-shaped id (prefix + 14 base62) unique within the test run. */
export function rzpId(prefix: string): string {
  counter += 1;
  const body = `${Date.now().toString(36)}${counter.toString(36)}`.padStart(14, '0').slice(-14);
  return `${prefix}_${body.replace(/[^A-Za-z0-9]/g, 'x')}`;
}

/** Inserts a subscription for a user in the given status; returns its id. */
export async function createSubscription(
  db: Kysely<Database>,
  userId: string,
  values: {
    tier?: PaidTier;
    status?: SubscriptionStatus;
    seats?: number;
    currentStart?: Date;
    currentEnd?: Date;
  } = {},
) {
  const start = values.currentStart ?? new Date(Date.now() - 86_400_000);
  const row = await db
    .insertInto('subscriptions')
    .values({
      user_id: userId,
      razorpay_subscription_id: rzpId('sub'),
      razorpay_plan_id: rzpId('plan'),
      subscription_tier: values.tier ?? 'navigator',
      billing_cycle: 'monthly',
      seats: values.seats ?? 1,
      plan_amount: 349_900 * (values.seats ?? 1),
      status: values.status ?? 'active',
      current_start: start,
      current_end: values.currentEnd ?? new Date(start.getTime() + 30 * 86_400_000),
      total_count: 12,
      paid_count: 1,
    })
    .returning('subscription_id')
    .executeTakeFirstOrThrow();
  return row.subscription_id;
}

/** A realistic small data set: users on several tiers, payments of each status, webhook events, request logs. */
export async function seedBilling(db: Kysely<Database>) {
  const users = [];
  for (let i = 0; i < 6; i++) users.push(await createUser(db, `user${i}-${rzpId('u')}@example.com`));
  const [a, b, c, d, e] = users as [string, string, string, string, string, string];
  const subA = await createSubscription(db, a, { tier: 'navigator' });
  const subB = await createSubscription(db, b, { tier: 'crew', seats: 3 });
  await createSubscription(db, c, { tier: 'voyager', status: 'cancelled' });
  const subD = await createSubscription(db, d, { tier: 'explorer', status: 'pending' });
  await createSubscription(db, e, { tier: 'explorer', status: 'halted' });
  const payment = (
    subscriptionId: string,
    userId: string,
    status: PaymentStatus,
    extra: Record<string, unknown> = {},
  ) =>
    db
      .insertInto('payments')
      .values({
        subscription_id: subscriptionId,
        user_id: userId,
        razorpay_payment_id: rzpId('pay'),
        razorpay_order_id: rzpId('order'),
        razorpay_invoice_id: rzpId('inv'),
        amount: 349_900,
        status,
        method: 'card',
        ...extra,
      })
      .execute();
  await payment(subA, a, 'captured', { captured_at: new Date() });
  await payment(subB, b, 'captured', {
    captured_at: new Date(),
    amount_refunded: 100_000,
    refund_status: 'partial',
  });
  await payment(subD, d, 'failed', {
    error_code: 'BAD_REQUEST_ERROR',
    error_description: 'Payment failed',
    error_source: 'bank',
    error_step: 'payment_authorization',
    error_reason: 'payment_failed',
    error_message: 'BAD_REQUEST_ERROR: Payment failed',
    failed_at: new Date(),
  });
  await payment(subD, d, 'authorized');
  for (const [i, status] of (['processed', 'pending', 'failed', 'skipped'] as const).entries()) {
    await db
      .insertInto('razorpay_webhook_events')
      .values({
        event_id: rzpId('evt').slice(4),
        event_type: i === 3 ? 'payment.dispute.created' : 'payment.captured',
        account_id: 'acc_BFQ7uQEaa7j2z7',
        payload: '{"entity":"event"}',
        processing_status: status,
        error_message: status === 'failed' ? 'subscription not found' : null,
      })
      .execute();
  }
  for (const user of users) {
    await db
      .insertInto('request_logs')
      .values({ user_id: user, method: 'GET', path: '/api/usage', status: 200 })
      .execute();
  }
  await sql`SELECT 1`.execute(db);
  return { users, subscriptions: { subA, subB, subD } };
}
