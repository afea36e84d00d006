import type { RzpPayment, RzpSubscription } from '../../adapters/razorpay/wire.ts';
import type { Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { applyBillingSnapshots } from './apply-billing-snapshots.ts';
import { fromUnix } from './snapshot.ts';

/** The outcome of a convergence: our row's id and status, and whether anything was written. */
export type ConvergeOutcome = { subscriptionId: string; status: string; changed: boolean };

/**
 * Applies Razorpay's subscription entity (and an attached payment) to our rows through the state
 * machine, forward-only and safe to run twice. Without `eventCreatedAt` the entity is taken as
 * just fetched from Razorpay (authoritative); an event snapshot that cannot be placed makes it
 * re-fetch the subscription and apply what Razorpay says now.
 */
export async function convergeSubscription({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { subscription: RzpSubscription; payment?: RzpPayment; eventCreatedAt?: number };
}): Promise<Result<ConvergeOutcome>> {
  const applied = await applyBillingSnapshots({
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
  if (!applied.ok) return applied;
  const { id, status, changed } = applied.value[0]!;
  return { ok: true, value: { subscriptionId: id, status, changed } };
}
