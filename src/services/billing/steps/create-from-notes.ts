import type { Repos } from '../../../adapters/db/repos.ts';
import type { NewSubscription, Subscription } from '../../../adapters/db/schema.ts';
import { AppError } from '../../../domain/errors.ts';
import { isUuid } from '../../../domain/ids.ts';
import { BillingCycle, planFor, Tier } from '../../../domain/plans.ts';
import { present } from '../../../domain/present.ts';
import type { SubscriptionEntity } from '../../../domain/razorpay-event.ts';
import { cannotApply, notOurs } from './billing-failures.ts';
import { notesOf } from './row-columns.ts';

/**
 * Creates our rows for Razorpay subscriptions we have no row for, from the ids checkout put in
 * their notes (the checkout callback or a webhook may beat checkout's own write); the entities
 * must be Razorpay's own copies, never an event's word alone. Rows start in `created` so the
 * snapshots themselves go through the state machine afterwards; a subscription another
 * transaction stored first is locked and returned instead. Throws an AppError when a
 * subscription is not ours.
 */
export async function createSubscriptionsFromNotes(
  repos: Repos,
  entities: SubscriptionEntity[],
): Promise<{ rows: Subscription[]; created: Set<string> }> {
  if (entities.length === 0) return { rows: [], created: new Set() };
  const withNotes = entities.map((entity) => ({ entity, notes: notesOf(entity) }));
  const users = await repos.billing.existingUserIds(
    withNotes.map((e) => e.notes.polaris_user_id).filter((id): id is string => !!id),
  );
  const taken = await repos.billing.takenSubscriptionIds(
    withNotes.map((e) => e.notes.polaris_subscription_id).filter((id): id is string => !!id),
  );
  const values = withNotes.map(({ entity, notes }): NewSubscription => {
    const userId = notes.polaris_user_id;
    if (!userId) {
      throw notOurs(
        `subscription ${entity.id} carries no Polaris user in its notes: another product on this Razorpay account`,
      );
    }
    if (!users.has(userId)) {
      throw cannotApply(`subscription ${entity.id} names Polaris user ${userId}, who does not exist here`);
    }
    const tier = Tier.safeParse(notes.polaris_tier);
    const cycle = BillingCycle.safeParse(notes.polaris_cycle);
    if (!tier.success || tier.data === 'free' || !cycle.success) {
      throw cannotApply(`subscription ${entity.id} has no Polaris plan in its notes`);
    }
    const seats = Math.max(1, entity.quantity);
    const plan = planFor(tier.data);
    // Our id from checkout, unless a row holds it already (then the database picks one).
    const ourId = notes.polaris_subscription_id;
    const idFree = ourId !== undefined && isUuid(ourId) && !taken.has(ourId);
    if (idFree) taken.add(ourId);
    return {
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
    };
  });
  const inserted = await repos.billing.insertSubscriptions(values);
  const created = new Set(
    inserted.map((row) => present(row.razorpay_subscription_id, 'an inserted Razorpay subscription id')),
  );
  // A concurrent transaction stored these first: lock theirs.
  const lost = entities.map((e) => e.id).filter((id) => !created.has(id));
  const theirs = await repos.billing.lockSubscriptionsByRazorpayIds(lost);
  if (theirs.length !== lost.length) {
    const gone = lost.find((id) => !theirs.some((row) => row.razorpay_subscription_id === id));
    throw new AppError('conflict', `subscription ${gone} vanished while it was being created`);
  }
  return { rows: [...inserted, ...theirs], created };
}
