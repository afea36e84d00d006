import type { Executor } from './executor.ts';
import type { RazorpayPlanRow } from './schema-checkout.ts';

/** One tier, cycle and price: the key a Razorpay plan is stored under. */
export type PlanKey = { tier: string; cycle: 'monthly' | 'yearly'; amount: number; currency: string };

/** Queries for the Razorpay plan ids of each tier and cycle. */
export function createRazorpayPlansRepo(db: Executor) {
  return {
    /** The stored plan for exactly this tier, cycle and price, if any. */
    find(key: PlanKey): Promise<RazorpayPlanRow | undefined> {
      return db
        .selectFrom('razorpay_plans')
        .selectAll()
        .where('tier', '=', key.tier)
        .where('cycle', '=', key.cycle)
        .where('amount', '=', key.amount)
        .where('currency', '=', key.currency)
        .executeTakeFirst();
    },

    /** The stored plan behind a Razorpay plan id (a plan change arrives as a new plan_id). */
    findByRazorpayPlanId(razorpayPlanId: string): Promise<RazorpayPlanRow | undefined> {
      return db
        .selectFrom('razorpay_plans')
        .selectAll()
        .where('razorpay_plan_id', '=', razorpayPlanId)
        .executeTakeFirst();
    },

    /** Every stored plan, oldest first. */
    list(): Promise<RazorpayPlanRow[]> {
      return db.selectFrom('razorpay_plans').selectAll().orderBy('id').execute();
    },

    /**
     * Stores a plan id for its key; when a concurrent sync stored one first, that row wins and is
     * returned, so one key never points at two plans.
     */
    async store(key: PlanKey, razorpayPlanId: string): Promise<RazorpayPlanRow> {
      const inserted = await db
        .insertInto('razorpay_plans')
        .values({ ...key, razorpay_plan_id: razorpayPlanId })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return inserted;
      const existing = await this.find(key);
      if (!existing) throw new Error(`razorpay plan ${razorpayPlanId} conflicts with another key`);
      return existing;
    },
  };
}
