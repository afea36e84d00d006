import type { Subscription } from '../../adapters/db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type PaidTier, planFor, Tier } from '../../domain/plans.ts';
import type { ServiceContext } from '../context.ts';

/** The plan checkout wants for a user, fully decided by the server. */
export type WantedPlan = {
  tier: PaidTier;
  cycle: 'monthly' | 'yearly';
  seats: number;
  planId: string;
  planAmount: number;
  currency: string;
};

/** What to do next, decided under the user's profile lock. */
export type CheckoutStep =
  | { kind: 'create'; row: Subscription; email: string }
  | { kind: 'reuse'; row: Subscription; email: string }
  | { kind: 'replace'; row: Subscription }
  | { kind: 'change'; row: Subscription };

// A row without a Razorpay id older than this was left by a process that died mid-checkout.
const ABANDONED_AFTER_SECONDS = 120;

const inFlight = () =>
  new AppError(
    'conflict',
    'a checkout for your account is being prepared right now; try again in a few seconds',
  );

const nameOf = (tier: string) => {
  const t = Tier.safeParse(tier);
  return t.success ? planFor(t.data).name : tier;
};

/**
 * Decides under a row lock on the user's profile, so one user's checkouts are decided one at a
 * time, and inserts our row before Razorpay is called: the partial unique index then makes a
 * second live subscription impossible, and a concurrent request sees ours (not a gap) and stops.
 */
export function claimCheckoutSlot(
  ctx: ServiceContext,
  userId: string,
  want: WantedPlan,
): Promise<CheckoutStep> {
  return ctx.transaction(async (repos) => {
    const rows = repos.checkout;
    const profile = await rows.lockProfile(userId);
    if (!profile) throw new AppError('not_found', 'no profile for this account');
    let live = await rows.findLive(userId);
    if (live && live.razorpay_subscription_id === null) {
      if (!(await rows.expireAbandoned(live.subscription_id, ABANDONED_AFTER_SECONDS))) throw inFlight();
      live = undefined;
    }
    if (!live) {
      const row = await rows.insertCreated({ userId, ...want });
      await repos.audit.record({
        actor: `user:${userId}`,
        action: 'subscription.checkout',
        target: row.subscription_id,
        details: { tier: want.tier, cycle: want.cycle, seats: want.seats, planAmount: want.planAmount },
      });
      return { kind: 'create', row, email: profile.email };
    }
    const same = live.razorpay_plan_id === want.planId && live.seats === want.seats;
    if (same && live.status === 'created') return { kind: 'reuse', row: live, email: profile.email };
    if (same) {
      throw new AppError(
        'conflict',
        `you already have the ${nameOf(live.subscription_tier)} plan (${live.status})`,
      );
    }
    if (live.status === 'created' || live.status === 'authenticated') return { kind: 'replace', row: live };
    if (live.status === 'active') return { kind: 'change', row: live };
    throw new AppError(
      'conflict',
      `your ${nameOf(live.subscription_tier)} subscription is ${live.status}; settle its payment or cancel it (POST /api/subscriptions/cancel) before changing plan`,
    );
  });
}
