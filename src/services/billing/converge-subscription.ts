import type { Repos } from '../../adapters/db/repos.ts';
import type { Subscription } from '../../adapters/db/schema.ts';
import type { RzpPayment, RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { decideSubscription, type SubscriptionDecision } from '../../domain/billing-state.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { applyPaymentSnapshot } from './apply-payment.ts';
import { createSubscriptionFromNotes } from './create-from-notes.ts';
import { changedKeys, fromUnix, subscriptionColumns } from './snapshot.ts';

type Applied = { row: Subscription; changed: boolean; decision: SubscriptionDecision };

/** The outcome of a convergence: our row's id and status, and whether anything was written. */
export type ConvergeOutcome = { subscriptionId: string; status: string; changed: boolean };

/**
 * Applies Razorpay's subscription entity (and an attached payment) to our rows through the state
 * machine, in one transaction, forward-only and safe to run twice. Without `eventCreatedAt` the
 * entity is taken as just fetched from Razorpay (authoritative); an event snapshot that cannot be
 * placed makes it re-fetch the subscription and apply what Razorpay says now.
 */
export async function convergeSubscription({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { subscription: RzpSubscription; payment?: RzpPayment; eventCreatedAt?: number };
}): Promise<Result<ConvergeOutcome>> {
  const eventAt = fromUnix(input.eventCreatedAt);
  const first = await applyOnce(ctx, input.subscription, input.payment, eventAt, eventAt === null);
  if (!first.ok || first.value.decision.kind !== 'unplaceable') return mapOutcome(first);

  ctx.log.info(
    { subscription: input.subscription.id, reason: first.value.decision.reason },
    'subscription snapshot cannot be placed; re-fetching from Razorpay',
  );
  const fetched = await ctx.gateway.fetchSubscription(input.subscription.id);
  if (!fetched.ok) {
    return {
      ok: false,
      error: new AppError(
        'unavailable',
        `could not re-fetch ${input.subscription.id}: ${fetched.error.message}`,
      ),
    };
  }
  const second = await applyOnce(ctx, fetched.value, undefined, eventAt, true);
  if (second.ok) second.value.changed ||= first.value.changed;
  return mapOutcome(second);
}

function mapOutcome(result: Result<Applied>): Result<ConvergeOutcome> {
  if (!result.ok) return result;
  const { row, changed } = result.value;
  return { ok: true, value: { subscriptionId: row.subscription_id, status: row.status, changed } };
}

async function applyOnce(
  ctx: ServiceContext,
  entity: RzpSubscription,
  payment: RzpPayment | undefined,
  eventAt: Date | null,
  authoritative: boolean,
): Promise<Result<Applied>> {
  return ctx.transaction(async (repos) => {
    const found = await lockOrCreate(repos, entity);
    if (!found.ok) return found;
    const applied = await applySnapshot(repos, found.value, entity, eventAt, authoritative);
    let changed = applied.changed || found.value.created;
    if (payment) {
      // The payment is real whatever the subscription snapshot's fate; its merge is order-free.
      const paid = await applyPaymentSnapshot(repos, {
        payment,
        eventAt,
        link: { subscription_id: applied.row.subscription_id, user_id: applied.row.user_id },
        period: { start: fromUnix(entity.current_start), end: fromUnix(entity.current_end) },
      });
      changed ||= paid.changed;
    }
    return { ok: true, value: { ...applied, changed } };
  });
}

async function lockOrCreate(
  repos: Repos,
  entity: RzpSubscription,
): Promise<Result<{ row: Subscription; created: boolean }>> {
  const row = await repos.billing.findSubscriptionByRazorpayId(entity.id, { forUpdate: true });
  if (row) return { ok: true, value: { row, created: false } };
  return createSubscriptionFromNotes(repos, entity);
}

async function applySnapshot(
  repos: Repos,
  found: { row: Subscription; created: boolean },
  entity: RzpSubscription,
  eventAt: Date | null,
  authoritative: boolean,
): Promise<Applied> {
  const current = found.row;
  const decision = decideSubscription({
    current: {
      status: current.status,
      eventAt: current.last_event_at,
      paidCount: current.paid_count,
      currentEnd: current.current_end,
    },
    incoming: {
      status: entity.status,
      eventAt,
      paidCount: entity.paid_count,
      currentEnd: fromUnix(entity.current_end),
    },
    authoritative,
  });
  if (decision.kind !== 'apply') return { row: current, changed: false, decision };
  const patch = {
    ...subscriptionColumns(entity, current, eventAt),
    ...(await planChange(repos, current, entity)),
  };
  if (changedKeys(current, patch).length === 0) return { row: current, changed: false, decision };
  const updated = await repos.billing.updateSubscription(current.subscription_id, current.status, patch);
  if (!updated) throw new Error(`subscription ${entity.id} changed under its lock`);
  return { row: updated, changed: true, decision };
}

// A plan change (subscription.updated, or a fetch after one) arrives as a new plan_id: the tier,
// cycle and amount follow the plan we stored for it; an unknown plan keeps ours unchanged.
async function planChange(repos: Repos, current: Subscription, entity: RzpSubscription) {
  if (entity.plan_id === current.razorpay_plan_id) return {};
  const plan = await repos.razorpayPlans.findByRazorpayPlanId(entity.plan_id);
  if (!plan) return {};
  return {
    subscription_tier: plan.tier,
    billing_cycle: plan.cycle,
    plan_amount: plan.amount * Math.max(1, entity.quantity),
  };
}
