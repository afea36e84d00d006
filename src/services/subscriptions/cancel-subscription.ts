import type { RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { isFinalSubscriptionStatus } from '../../domain/billing-state.ts';
import { AppError } from '../../domain/errors.ts';
import { convergeSubscription } from '../billing/converge-subscription.ts';
import type { ServiceContext } from '../context.ts';
import { razorpayFailure } from '../razorpay-failure.ts';
import { type SubscriptionView, toSubscriptionView } from './subscription-view.ts';

/**
 * POST /api/subscriptions/cancel: Razorpay first, then our rows through the same convergence as
 * webhooks. At cycle end (the default, for a subscription in a paid period) Razorpay shows nothing
 * until current_end, so we record cancel_at_cycle_end ourselves; otherwise it ends now.
 */
export async function cancelSubscription({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; atCycleEnd: boolean };
}): Promise<SubscriptionView> {
  const rows = ctx.repos.checkout;
  const live = await rows.findLive(input.userId);
  if (!live) throw new AppError('not_found', 'you have no subscription to cancel');
  const razorpayId = live.razorpay_subscription_id;
  if (!razorpayId)
    throw new AppError('conflict', 'your checkout is still being prepared; try again in a moment');
  const atEnd =
    input.atCycleEnd && (live.status === 'active' || live.status === 'pending') && live.current_end !== null;
  if (atEnd && live.cancel_at_cycle_end) return toSubscriptionView(live);

  const cancelled = await ctx.gateway.cancelSubscription(razorpayId, { atCycleEnd: atEnd });
  let entity: RzpSubscription;
  if (cancelled.ok) entity = cancelled.value;
  else {
    // Razorpay may refuse because it already ended; then its current state is what we record.
    const fetched = await ctx.gateway.fetchSubscription(razorpayId);
    if (!fetched.ok || !isFinalSubscriptionStatus(fetched.value.status)) {
      throw razorpayFailure(cancelled.error, 'cancelling your subscription (nothing changed)');
    }
    entity = fetched.value;
  }
  const converged = await convergeSubscription({ ctx, input: { subscription: entity } });
  const ended = isFinalSubscriptionStatus(converged.status);
  const row = await ctx.transaction(async (repos) => {
    const r = repos.checkout;
    const marked = atEnd && !ended ? await r.markCancelAtCycleEnd(live.subscription_id) : undefined;
    await repos.audit.record({
      actor: `user:${input.userId}`,
      action: marked ? 'subscription.cancel_at_cycle_end' : 'subscription.cancel',
      target: live.subscription_id,
      details: { razorpaySubscriptionId: razorpayId, status: converged.status },
    });
    return marked ?? (await r.findOwnByRazorpayId(input.userId, razorpayId));
  });
  return toSubscriptionView(row ?? live);
}
