import type { Executor } from './executor.ts';
import type { Payment, Subscription } from './schema.ts';

/** Reads for `polaris reconcile`: which of our subscriptions to check, and our copies to compare. */
export function createReconcileRepo(db: Executor) {
  return {
    /**
     * Razorpay ids of our subscriptions changed in [since, until], or due then (a charge or the
     * cycle end fell in the window, so Razorpay acted on it whether or not we heard).
     */
    async subscriptionIdsInWindow(since: Date, until: Date): Promise<string[]> {
      const rows = await db
        .selectFrom('subscriptions')
        .select('razorpay_subscription_id')
        .where('razorpay_subscription_id', 'is not', null)
        .where((eb) =>
          eb.or([
            eb('updated_at', '>=', since),
            eb('created_at', '>=', since),
            eb.and([eb('charge_at', '>=', since), eb('charge_at', '<=', until)]),
            eb.and([eb('current_end', '>=', since), eb('current_end', '<=', until)]),
          ]),
        )
        .orderBy('razorpay_subscription_id')
        .execute();
      return rows.map((r) => r.razorpay_subscription_id as string);
    },

    /** Which of these Razorpay subscription ids we store. */
    async knownSubscriptionIds(razorpayIds: string[]): Promise<Set<string>> {
      if (razorpayIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('subscriptions')
        .select('razorpay_subscription_id')
        .where('razorpay_subscription_id', 'in', razorpayIds)
        .execute();
      return new Set(rows.map((r) => r.razorpay_subscription_id as string));
    },

    /** Our row of one subscription (unlocked: a read to compare, the write locks again). */
    async subscription(razorpayId: string): Promise<Subscription | undefined> {
      return db
        .selectFrom('subscriptions')
        .selectAll()
        .where('razorpay_subscription_id', '=', razorpayId)
        .executeTakeFirst();
    },

    /** Our rows of these payments. */
    async payments(razorpayIds: string[]): Promise<Payment[]> {
      if (razorpayIds.length === 0) return [];
      return db.selectFrom('payments').selectAll().where('razorpay_payment_id', 'in', razorpayIds).execute();
    },
  };
}

/** The reconcile repository's queries. */
export type ReconcileRepo = ReturnType<typeof createReconcileRepo>;
