import type { SubscriptionStatus } from '../../domain/billing-state.ts';
import type { PaymentEntity, SubscriptionEntity } from '../../domain/razorpay-event.ts';
import type { ServiceContext } from '../context.ts';
import { applyBillingSnapshots } from './apply-billing-snapshots.ts';
import { fromUnix } from './steps/row-columns.ts';

/** The outcome of a convergence: our row's id and status, and whether anything was written. */
export type ConvergeOutcome = { subscriptionId: string; status: SubscriptionStatus; changed: boolean };

/**
 * Applies Razorpay's subscription entity (and an attached payment) to our rows through the state
 * machine, forward-only and safe to run twice. Without `eventCreatedAt` the entity is taken as
 * just fetched from Razorpay (authoritative); an event snapshot that cannot be placed makes it
 * re-fetch the subscription and apply what Razorpay says now. Throws AppError when it cannot.
 */
export async function convergeSubscription({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { subscription: SubscriptionEntity; payment?: PaymentEntity; eventCreatedAt?: number };
}): Promise<ConvergeOutcome> {
  const [outcome] = await applyBillingSnapshots({
    ctx,
    input: {
      snapshots: [
        {
          kind: 'subscription',
          subscription: input.subscription,
          payment: input.payment,
          eventAt: fromUnix(input.eventCreatedAt),
        },
      ],
    },
  });
  if (outcome?.kind !== 'subscription')
    throw new Error('a subscription snapshot reported no subscription outcome');
  return { subscriptionId: outcome.id, status: outcome.status, changed: outcome.changed };
}
