import type { Subscription } from '../../adapters/db/schema.ts';
import type { RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { present } from '../../domain/present.ts';
import { convergeSubscription } from '../billing/converge-subscription.ts';
import type { ServiceContext } from '../context.ts';
import { razorpayFailure } from '../razorpay-failure.ts';

/**
 * Cancels a never-paid subscription (created or authenticated) at Razorpay, then records it
 * through the same convergence as webhooks, freeing the user's live slot for a new plan. If
 * Razorpay refuses because it moved on (say, the user paid meanwhile), what it says now is applied
 * instead and the caller decides again.
 */
export async function replaceUnpaidSubscription(ctx: ServiceContext, row: Subscription): Promise<void> {
  const razorpayId = present(row.razorpay_subscription_id, 'the Razorpay id of an unpaid subscription');
  const cancelled = await ctx.gateway.cancelSubscription(razorpayId);
  let entity: RzpSubscription;
  if (cancelled.ok) entity = cancelled.value;
  else {
    const fetched = await ctx.gateway.fetchSubscription(razorpayId);
    if (!fetched.ok) throw razorpayFailure(cancelled.error, 'cancelling your unpaid subscription');
    entity = fetched.value;
  }
  const converged = await convergeSubscription({ ctx, input: { subscription: entity } });
  await ctx.transaction((repos) =>
    repos.audit.record({
      actor: `user:${row.user_id}`,
      action: 'subscription.replace',
      target: row.subscription_id,
      details: { razorpaySubscriptionId: razorpayId, status: converged.status },
    }),
  );
}
