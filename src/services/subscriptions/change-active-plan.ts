import type { Subscription } from '../../adapters/db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { planFor, Tier } from '../../domain/plans.ts';
import { present } from '../../domain/present.ts';
import { convergeSubscription } from '../billing/converge-subscription.ts';
import type { ServiceContext } from '../context.ts';
import { razorpayFailure } from '../razorpay-failure.ts';
import type { WantedPlan } from './claim-checkout-slot.ts';

/**
 * Moves a paid, active subscription to another plan in place (Razorpay PATCH, applied now), so
 * there is never a second subscription to charge. Razorpay refuses plan changes for card and UPI
 * mandates; then the user is told to cancel first, and nothing changes.
 */
export async function changeActivePlan(
  ctx: ServiceContext,
  row: Subscription,
  want: WantedPlan,
): Promise<Subscription> {
  const from = planFor(Tier.parse(row.subscription_tier)).name;
  const to = planFor(want.tier).name;
  const razorpayId = present(row.razorpay_subscription_id, 'the Razorpay id of a live subscription');
  const updated = await ctx.gateway.updateSubscription(razorpayId, {
    planId: want.planId,
    quantity: want.seats,
    scheduleChangeAt: 'now',
  });
  if (!updated.ok) {
    if (updated.error.kind === 'api' && updated.error.statusCode === 400) {
      throw new AppError(
        'conflict',
        `your ${from} subscription is active and its plan cannot be changed in place (Razorpay: ${updated.error.description}); cancel it first (POST /api/subscriptions/cancel), then subscribe to ${to}`,
      );
    }
    throw razorpayFailure(updated.error, `changing your plan to ${to}`);
  }
  const changed = await ctx.transaction(async (repos) => {
    const rows = repos.checkout;
    const moved = await rows.changePlan(row.subscription_id, row.razorpay_plan_id ?? '', want);
    if (moved) {
      await repos.audit.record({
        actor: `user:${row.user_id}`,
        action: 'subscription.change_plan',
        target: row.subscription_id,
        details: { from: row.subscription_tier, to: want.tier, cycle: want.cycle, seats: want.seats },
      });
    }
    return moved;
  });
  await convergeSubscription({ ctx, input: { subscription: updated.value } });
  if (!changed)
    throw new AppError(
      'conflict',
      'your subscription changed while the plan change was applied; reload and check',
    );
  return (await ctx.repos.checkout.findOwnByRazorpayId(row.user_id, razorpayId)) ?? changed;
}
