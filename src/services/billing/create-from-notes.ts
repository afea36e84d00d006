import type { Repos } from '../../adapters/db/repos.ts';
import type { Subscription } from '../../adapters/db/schema.ts';
import type { RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import { BillingCycle, planFor, Tier } from '../../domain/plans.ts';
import { notesOf } from './snapshot.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Creates our row for a Razorpay subscription we have no row for, from the ids checkout put in
 * its notes (the checkout callback or webhook may beat checkout's own write). Starts in `created`
 * so the snapshot itself is applied through the state machine afterwards.
 */
export async function createSubscriptionFromNotes(
  repos: Repos,
  entity: RzpSubscription,
): Promise<Result<{ row: Subscription; created: boolean }>> {
  const notes = notesOf(entity);
  const userId = notes.polaris_user_id;
  const notFound = new AppError('not_found', `subscription ${entity.id} is not known to Polaris`);
  if (!userId || !(await repos.billing.userExists(userId))) return { ok: false, error: notFound };
  const tier = Tier.safeParse(notes.polaris_tier);
  const cycle = BillingCycle.safeParse(notes.polaris_cycle);
  if (!tier.success || tier.data === 'free' || !cycle.success) {
    return {
      ok: false,
      error: new AppError('not_found', `subscription ${entity.id} has no Polaris plan in its notes`),
    };
  }
  const seats = Math.max(1, entity.quantity);
  const plan = planFor(tier.data);
  const ourId = notes.polaris_subscription_id;
  const idFree = ourId && UUID.test(ourId) && !(await repos.billing.findSubscriptionById(ourId));
  const inserted = await repos.billing.insertSubscription({
    ...(idFree ? { subscription_id: ourId } : {}),
    user_id: userId,
    razorpay_subscription_id: entity.id,
    razorpay_plan_id: entity.plan_id,
    subscription_tier: tier.data,
    billing_cycle: cycle.data,
    seats,
    plan_amount: plan.pricePaise[cycle.data] * (plan.perSeat ? seats : 1),
    status: 'created',
    total_count: entity.total_count,
    notes: JSON.stringify(notes),
  });
  if (inserted) return { ok: true, value: { row: inserted, created: true } };
  // A concurrent transaction stored it first: lock theirs.
  const row = await repos.billing.findSubscriptionByRazorpayId(entity.id, { forUpdate: true });
  return row ? { ok: true, value: { row, created: false } } : { ok: false, error: notFound };
}
