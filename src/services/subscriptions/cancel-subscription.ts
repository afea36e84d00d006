import { AppError } from '../../domain/errors.ts';
import { convergeSubscription } from '../billing/converge-subscription.ts';
import type { ServiceContext } from '../context.ts';
import { razorpayFailure } from '../razorpay-failure.ts';
import { type SubscriptionView, toSubscriptionView } from './subscription-view.ts';

const FINAL = ['cancelled', 'completed', 'expired'];

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
  let entity = cancelled.ok ? cancelled.value : undefined;
  if (!cancelled.ok) {
    // Razorpay may refuse because it already ended; then its current state is what we record.
    const fetched = await ctx.gateway.fetchSubscription(razorpayId);
    if (!fetched.ok || !FINAL.includes(fetched.value.status)) {
      throw razorpayFailure(cancelled.error, 'cancelling your subscription (nothing changed)');
    }
    entity = fetched.value;
  }
  const converged = await convergeSubscription({ ctx, input: { subscription: entity! } });
  const ended = FINAL.includes(converged.status);
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
