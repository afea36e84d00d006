import type { Subscription } from '../../adapters/db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type FlagsView, refusalError, refusePayments } from '../../domain/flags.ts';
import { quotePlan } from '../../domain/plan-quote.ts';
import { type BillingCycle, planFor, type Tier } from '../../domain/plans.ts';
import { hostedPageUrl } from '../../domain/short-url.ts';
import type { ServiceContext } from '../context.ts';
import { getFlags } from '../flags/get-flags.ts';
import { razorpayFailure } from '../razorpay-failure.ts';
import { changeActivePlan } from './change-active-plan.ts';
import { type CheckoutOptions, checkoutOptions } from './checkout-options.ts';
import { claimCheckoutSlot, type WantedPlan } from './claim-checkout-slot.ts';
import { replaceUnpaidSubscription } from './replace-unpaid-subscription.ts';
import { type SubscriptionView, toSubscriptionView } from './subscription-view.ts';

const CURRENCY = 'INR';

/**
 * Billing cycles per subscription: ten years either way. Razorpay needs a finite total_count and
 * a subscription that reaches it becomes `completed`, which would silently drop a paying user to
 * free; ten years outlives any card's mandate, and cancelling stops it at any time.
 */
export const TOTAL_COUNT: Record<BillingCycle, number> = { monthly: 120, yearly: 10 };

/** What checkout answers: the Checkout options to open, or the plan change done in place. */
export type CheckoutOutcome = {
  /** created: a new subscription; reused: the same unpaid one again; changed: plan changed in place. */
  outcome: 'created' | 'reused' | 'changed';
  subscription: SubscriptionView;
  checkout: CheckoutOptions | null;
};

/** Turns tier, cycle and seats into the plan and amounts the server charges; refuses what cannot be sold. */
async function wantedPlan(
  ctx: ServiceContext,
  input: { tier: Tier; cycle: BillingCycle; seats?: number | undefined },
): Promise<WantedPlan> {
  const quoted = quotePlan(input);
  if (!quoted.ok) throw quoted.error;
  const { tier, seats, unitPaise: amount, amountPaise } = quoted.value;
  const plan = planFor(tier);
  const stored = await ctx.repos.razorpayPlans.find({
    tier: input.tier,
    cycle: input.cycle,
    amount,
    currency: CURRENCY,
  });
  if (!stored) {
    throw new AppError(
      'unavailable',
      `checkout for ${plan.name} (${input.cycle}) is not available yet: its Razorpay plan is not synced; an operator must run polaris plans sync`,
    );
  }
  return {
    tier,
    cycle: input.cycle,
    seats,
    planId: stored.razorpay_plan_id,
    planAmount: amountPaise,
    currency: CURRENCY,
  };
}

/** Creates the Razorpay subscription for our freshly inserted row and records its id. */
async function createAtRazorpay(
  ctx: ServiceContext,
  row: Subscription,
  want: WantedPlan,
): Promise<Subscription> {
  const notes = {
    polaris_user_id: row.user_id,
    polaris_subscription_id: row.subscription_id,
    polaris_tier: want.tier,
    polaris_cycle: want.cycle,
  };
  const created = await ctx.gateway.createSubscription({
    planId: want.planId,
    totalCount: TOTAL_COUNT[want.cycle],
    quantity: want.seats,
    customerNotify: true,
    notes,
  });
  if (!created.ok) {
    // Razorpay has no idempotency for this call: if it did create one, nobody ever sees its id, so
    // it cannot be paid and expires unpaid; reconcile can still find it by our notes.
    await ctx.repos.checkout.discardUnattached(row.subscription_id);
    throw razorpayFailure(created.error, 'creating your subscription (nothing was charged)');
  }
  const attached = await ctx.repos.checkout.attachRazorpay(row.subscription_id, {
    razorpaySubscriptionId: created.value.id,
    totalCount: TOTAL_COUNT[want.cycle],
    notes,
    shortUrl: hostedPageUrl(created.value.short_url),
  });
  if (!attached) {
    // Our row was expired as abandoned meanwhile: never leave a payable subscription behind it.
    await ctx.gateway.cancelSubscription(created.value.id);
    throw new AppError('conflict', 'checkout took too long and was abandoned; try again');
  }
  return attached;
}

/**
 * POST /api/subscriptions: the server picks plan, quantity and price from tier, cycle and seats,
 * and keeps at most one live subscription per user. The same unpaid plan is returned again; an
 * unpaid one for another plan is cancelled at Razorpay and replaced; an active one is changed in
 * place when Razorpay allows it, else refused. Never two live subscriptions, never two charges.
 */
export async function startCheckout({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    userId: string;
    tier: Tier;
    cycle: BillingCycle;
    seats?: number | undefined;
    /** The flags already read for this request (flag-guard.ts); read here when absent. */
    flags?: FlagsView | undefined;
  };
}): Promise<CheckoutOutcome> {
  const refusal = refusePayments(input.flags ?? (await getFlags({ ctx })), ctx.now());
  if (refusal) throw refusalError(refusal);
  const want = await wantedPlan(ctx, input);
  // Each replace frees the slot; deciding again sees what Razorpay said (e.g. paid meanwhile).
  for (let attempt = 0; attempt < 3; attempt++) {
    const step = await claimCheckoutSlot(ctx, input.userId, want);
    if (step.kind === 'replace') {
      await replaceUnpaidSubscription(ctx, step.row);
      continue;
    }
    if (step.kind === 'change') {
      const row = await changeActivePlan(ctx, step.row, want);
      return { outcome: 'changed', subscription: toSubscriptionView(row), checkout: null };
    }
    const row = step.kind === 'create' ? await createAtRazorpay(ctx, step.row, want) : step.row;
    return {
      outcome: step.kind === 'create' ? 'created' : 'reused',
      subscription: toSubscriptionView(row),
      checkout: checkoutOptions(ctx, row, step.email),
    };
  }
  throw new AppError('conflict', 'your subscription kept changing while checkout was prepared; try again');
}
