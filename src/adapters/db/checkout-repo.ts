import { sql } from 'kysely';
import { LIVE_SUBSCRIPTION_STATUSES } from '../../domain/billing-state.ts';
import type { BillingCycle, PaidTier } from '../../domain/plans.ts';
import type { Executor } from './executor.ts';
import type { Payment, Subscription } from './schema.ts';

/** What checkout writes when it opens a subscription, before Razorpay knows it. */
export type NewCheckoutRow = {
  userId: string;
  tier: PaidTier;
  cycle: BillingCycle;
  seats: number;
  planId: string;
  planAmount: number;
  currency: string;
};

/** Queries for the checkout side of subscriptions: the user's live row, attaching Razorpay ids, payments. */
export function createCheckoutRepo(db: Executor) {
  return {
    /** Locks the user's profile row so one user's checkouts run one at a time; undefined when unknown. */
    lockProfile(userId: string) {
      return db
        .selectFrom('user_profiles')
        .select(['user_id', 'email', 'subscription_tier'])
        .where('user_id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
    },

    /** The user's live subscription (at most one exists). */
    findLive(userId: string): Promise<Subscription | undefined> {
      return db
        .selectFrom('subscriptions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('status', 'in', [...LIVE_SUBSCRIPTION_STATUSES])
        .executeTakeFirst();
    },

    /** The user's live subscription, else their most recent one. */
    findCurrent(userId: string): Promise<Subscription | undefined> {
      return db
        .selectFrom('subscriptions')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy(sql`status IN (${sql.join([...LIVE_SUBSCRIPTION_STATUSES])})`, 'desc')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** One of the user's subscriptions by its Razorpay id; another user's id finds nothing. */
    findOwnByRazorpayId(userId: string, razorpaySubscriptionId: string): Promise<Subscription | undefined> {
      return db
        .selectFrom('subscriptions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('razorpay_subscription_id', '=', razorpaySubscriptionId)
        .executeTakeFirst();
    },

    /** Inserts our row in `created` with no Razorpay id yet; the unique index refuses a second live row. */
    insertCreated(row: NewCheckoutRow): Promise<Subscription> {
      return db
        .insertInto('subscriptions')
        .values({
          user_id: row.userId,
          razorpay_plan_id: row.planId,
          subscription_tier: row.tier,
          billing_cycle: row.cycle,
          seats: row.seats,
          plan_amount: row.planAmount,
          currency: row.currency,
          status: 'created',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** Records the Razorpay subscription created for our row; only while the row still waits for it. */
    attachRazorpay(
      subscriptionId: string,
      values: {
        razorpaySubscriptionId: string;
        totalCount: number;
        notes: Record<string, string>;
        shortUrl: string | null;
      },
    ): Promise<Subscription | undefined> {
      return db
        .updateTable('subscriptions')
        .set({
          razorpay_subscription_id: values.razorpaySubscriptionId,
          short_url: values.shortUrl,
          total_count: values.totalCount,
          remaining_count: values.totalCount,
          notes: JSON.stringify(values.notes),
        })
        .where('subscription_id', '=', subscriptionId)
        .where('status', '=', 'created')
        .where('razorpay_subscription_id', 'is', null)
        .returningAll()
        .executeTakeFirst();
    },

    /** Removes a row Razorpay never heard of (its create call failed); true when removed. */
    async discardUnattached(subscriptionId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('subscriptions')
        .where('subscription_id', '=', subscriptionId)
        .where('status', '=', 'created')
        .where('razorpay_subscription_id', 'is', null)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /**
     * Expires a row whose Razorpay create never finished (the process died in between) once it is
     * older than `seconds`, so it stops holding the live slot.
     */
    expireAbandoned(subscriptionId: string, seconds: number): Promise<Subscription | undefined> {
      return db
        .updateTable('subscriptions')
        .set({ status: 'expired', ended_at: sql`now()` })
        .where('subscription_id', '=', subscriptionId)
        .where('status', '=', 'created')
        .where('razorpay_subscription_id', 'is', null)
        .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
        .returningAll()
        .executeTakeFirst();
    },

    /** Records a cancel requested for the cycle end; only while the subscription still grants access. */
    markCancelAtCycleEnd(subscriptionId: string): Promise<Subscription | undefined> {
      return db
        .updateTable('subscriptions')
        .set({ cancel_at_cycle_end: true })
        .where('subscription_id', '=', subscriptionId)
        .where('status', 'in', ['active', 'pending'])
        .returningAll()
        .executeTakeFirst();
    },

    /** Moves an active subscription to a new plan, only if it is still on the plan we changed from. */
    changePlan(
      subscriptionId: string,
      fromPlanId: string,
      to: { tier: PaidTier; cycle: BillingCycle; seats: number; planId: string; planAmount: number },
    ): Promise<Subscription | undefined> {
      return db
        .updateTable('subscriptions')
        .set({
          subscription_tier: to.tier,
          billing_cycle: to.cycle,
          seats: to.seats,
          razorpay_plan_id: to.planId,
          plan_amount: to.planAmount,
        })
        .where('subscription_id', '=', subscriptionId)
        .where('status', '=', 'active')
        .where('razorpay_plan_id', '=', fromPlanId)
        .returningAll()
        .executeTakeFirst();
    },

    /** The user's payments, newest first. */
    listPayments(userId: string, page: { limit: number; offset: number }): Promise<Payment[]> {
      return db
        .selectFrom('payments')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('payment_id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
    },
  };
}
