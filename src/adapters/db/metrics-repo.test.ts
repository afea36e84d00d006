import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createSubscription, createUser, rzpId } from '../../../test/support/seed.ts';
import { createMetricsRepo } from './metrics-repo.ts';

describeEachBackend('metrics repo: payment outcomes', { migrated: true }, (get) => {
  it('counts payments captured (refunded ones too) and failed at or after the moment, and nothing older', async () => {
    const db = get().db;
    const userId = await createUser(db, `outcomes-${rzpId('u')}@example.com`);
    const subscriptionId = await createSubscription(db, userId);
    const since = new Date('2026-11-30T09:00:00Z');
    const at = (minutes: number) => new Date(since.getTime() + minutes * 60_000);
    const payment = (status: 'captured' | 'refunded' | 'failed' | 'authorized', time: Date) => ({
      subscription_id: subscriptionId,
      user_id: userId,
      razorpay_payment_id: rzpId('pay'),
      amount: 100,
      status,
      amount_refunded: status === 'refunded' ? 100 : 0,
      captured_at: status === 'captured' || status === 'refunded' ? time : null,
      failed_at: status === 'failed' ? time : null,
      created_at: at(-120),
    });
    await db
      .insertInto('payments')
      .values([
        payment('captured', since),
        payment('refunded', at(5)),
        payment('captured', at(-1)),
        payment('failed', since),
        payment('failed', at(-30)),
        payment('authorized', at(1)),
      ])
      .execute();

    expect(await createMetricsRepo(db).paymentOutcomes(since)).toEqual({ captured: 2, failed: 1 });
    expect(await createMetricsRepo(db).paymentOutcomes(at(6))).toEqual({ captured: 0, failed: 0 });
  });
});
