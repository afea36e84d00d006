import type { ServiceContext } from '../context.ts';
import { type SubscriptionView, toSubscriptionView } from './subscription-view.ts';

/** The caller's live subscription, else their latest one, else null. */
export async function getCurrentSubscription({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string };
}): Promise<{ subscription: SubscriptionView | null }> {
  const row = await ctx.repos.checkout.findCurrent(input.userId);
  return { subscription: row ? toSubscriptionView(row) : null };
}
