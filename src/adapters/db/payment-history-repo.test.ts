import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createSubscription, createUser, rzpId } from '../../../test/support/seed.ts';
import { createPaymentHistoryRepo, type PaymentHistoryPage } from './payment-history-repo.ts';

// Seven payments: two share a creation time (the payment_id breaks the tie), one has two refunds.
describeEachBackend('payment history repo: keyset pages', { migrated: true }, (get) => {
  let userId: string;
  let newestFirst: string[];
  const ids = (page: PaymentHistoryPage) => page.rows.map((r) => r.razorpay_payment_id);

  beforeAll(async () => {
    const db = get().db;
    userId = await createUser(db, `history-${rzpId('u')}@example.com`);
    const other = await createUser(db, `history-other-${rzpId('u')}@example.com`);
    const subscriptionId = await createSubscription(db, userId);
    const otherSubscription = await createSubscription(db, other);
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
    const rows = [0, 1, 2, 3, 3, 4, 5].map((n) => ({
      subscription_id: subscriptionId,
      user_id: userId,
      razorpay_payment_id: rzpId('pay'),
      amount: 1000,
      status: 'captured' as const,
      created_at: day(n),
    }));
    const inserted = await db.insertInto('payments').values(rows).returningAll().execute();
    await db
      .insertInto('payments')
      .values({
        subscription_id: otherSubscription,
        user_id: other,
        razorpay_payment_id: rzpId('pay'),
        amount: 5,
        status: 'failed',
        created_at: day(2),
      })
      .execute();
    const refunded = inserted.find((p) => p.created_at.getTime() === day(4).getTime())!;
    await db
      .insertInto('refunds')
      .values(
        [200, 300].map((amount, i) => ({
          razorpay_refund_id: rzpId('rfnd'),
          payment_id: refunded.payment_id,
          razorpay_payment_id: refunded.razorpay_payment_id,
          amount,
          status: 'processed' as const,
          created_at: day(6 + i),
        })),
      )
      .execute();
    newestFirst = [...inserted]
      .sort(
        (a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.payment_id < b.payment_id ? 1 : -1),
      )
      .map((p) => p.razorpay_payment_id);
  });

  it('walks every payment of the user once, newest first, with refunds, and back again', async () => {
    const repo = createPaymentHistoryRepo(get().db);
    const first = await repo.page(userId, { limit: 3 });
    expect(first.newer).toBeNull();
    const second = await repo.page(userId, { older: first.older!, limit: 3 });
    const third = await repo.page(userId, { older: second.older!, limit: 3 });
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(newestFirst);
    expect(third.older).toBeNull();
    expect(first.rows[1]!.refunds.map((r) => r.amount)).toEqual([200, 300]);
    expect(first.rows.filter((r) => r.refunds.length > 0)).toHaveLength(1);

    const backToSecond = await repo.page(userId, { newer: third.newer!, limit: 3 });
    expect(ids(backToSecond)).toEqual(ids(second));
    const backToFirst = await repo.page(userId, { newer: backToSecond.newer!, limit: 3 });
    expect(ids(backToFirst)).toEqual(ids(first));
    expect(backToFirst.newer).toBeNull();
    expect(await repo.count(userId)).toBe(7);
  });

  it('finds nothing for a user without payments', async () => {
    const repo = createPaymentHistoryRepo(get().db);
    const nobody = await createUser(get().db, `history-none-${rzpId('u')}@example.com`);
    expect(await repo.page(nobody, { limit: 3 })).toEqual({ rows: [], older: null, newer: null });
    expect(await repo.count(nobody)).toBe(0);
  });
});
