import { z } from 'zod';
import { type ApiResult, badRequest, failure, idNotFound, success } from './api-error.ts';
import type { Ctx } from './context.ts';
import type { SubscriptionMeta } from './state.ts';
import { metaOf, refreshEndAt } from './subscription-billing.ts';
import type { Subscription } from './types.ts';
import { boolish, intish, validate } from './validate.ts';

const updateBody = z.strictObject({
  plan_id: z.string().optional(),
  offer_id: z.string().optional(),
  quantity: intish().pipe(z.number().min(1)).optional(),
  remaining_count: intish().pipe(z.number().min(1)).optional(),
  start_at: intish().optional(),
  schedule_change_at: z.enum(['now', 'cycle_end']).optional(),
  customer_notify: boolish().optional(),
});

type Change = NonNullable<SubscriptionMeta['scheduledChange']>;

function applyChange(ctx: Ctx, sub: Subscription, change: Change): void {
  if (change.plan_id !== undefined) sub.plan_id = change.plan_id;
  if (change.quantity !== undefined) sub.quantity = change.quantity;
  if (change.remaining_count !== undefined) {
    const meta = metaOf(ctx, sub.id);
    sub.remaining_count = change.remaining_count;
    sub.total_count = meta.invoicesGenerated + change.remaining_count;
  }
  refreshEndAt(ctx, sub);
}

// Razorpay (since 2024) allows only offer changes on domestic-card subscriptions and none on UPI.
function methodRestriction(sub: Subscription, fields: string[]): string | null {
  if (sub.payment_method === 'upi' || sub.payment_method === 'emandate') {
    return `subscriptions cannot be updated when payment mode is ${sub.payment_method === 'upi' ? 'UPI' : 'eMandate'}`;
  }
  if (sub.payment_method === 'card' && fields.some((f) => f !== 'offer_id')) {
    return 'Only offers can be updated for subscriptions when payment mode is domestic card';
  }
  return null;
}

/** PATCH: only `authenticated` or `active`; applied now (`subscription.updated`) or at cycle end. */
export function updateSubscription(ctx: Ctx, id: string, input: unknown): ApiResult<Subscription> {
  const sub = ctx.state.subscriptions.get(id);
  if (!sub) return failure(idNotFound());
  const body = validate(updateBody, input);
  if (!body.ok) return body;
  const { schedule_change_at, customer_notify, offer_id, start_at, ...change } = body.value;
  if (sub.status !== 'authenticated' && sub.status !== 'active') {
    return failure(badRequest(`Subscription cannot be updated in ${sub.status} status.`, 'status'));
  }
  const fields = Object.keys(change).concat(offer_id === undefined ? [] : ['offer_id']);
  if (start_at !== undefined) fields.push('start_at');
  const restricted = ctx.config.restrictUpdates ? methodRestriction(sub, fields) : null;
  if (restricted) return failure(badRequest(restricted, 'offer_id'));
  if (offer_id !== undefined) return failure(badRequest('The id provided does not exist', 'offer_id'));
  if (change.plan_id !== undefined && !ctx.state.plans.has(change.plan_id)) {
    return failure(badRequest('The id provided does not exist', 'plan_id'));
  }
  if (start_at !== undefined) {
    if (sub.status !== 'authenticated')
      return failure(badRequest('start_at cannot be updated now.', 'start_at'));
    sub.start_at = start_at;
    sub.charge_at = start_at;
    refreshEndAt(ctx, sub);
  }
  if (customer_notify !== undefined) sub.customer_notify = customer_notify;
  if (schedule_change_at === 'cycle_end' && sub.current_end !== null) {
    metaOf(ctx, id).scheduledChange = change;
    sub.has_scheduled_changes = true;
    sub.change_scheduled_at = sub.current_end;
    ctx.changed();
    return success(sub);
  }
  applyChange(ctx, sub, change);
  ctx.emit('subscription.updated', { subscription: sub });
  ctx.changed();
  return success(sub);
}

/** Applies a change scheduled for the cycle end, when the test clock reaches it. */
export function applyScheduledChange(ctx: Ctx, sub: Subscription): void {
  const meta = metaOf(ctx, sub.id);
  if (meta.scheduledChange) applyChange(ctx, sub, meta.scheduledChange);
  meta.scheduledChange = null;
  sub.has_scheduled_changes = false;
  sub.change_scheduled_at = null;
  ctx.emit('subscription.updated', { subscription: sub });
  ctx.changed();
}

/** How the subscription will look once its scheduled change applies. */
export function retrieveScheduledChanges(ctx: Ctx, id: string): ApiResult<Subscription> {
  const sub = ctx.state.subscriptions.get(id);
  if (!sub) return failure(idNotFound());
  const change = metaOf(ctx, id).scheduledChange;
  if (!change) return failure(badRequest('No scheduled changes found for this subscription.'));
  const preview = structuredClone(sub);
  applyChange(ctx, preview, change);
  return success(preview);
}

/** Drops a scheduled change. */
export function cancelScheduledChanges(ctx: Ctx, id: string): ApiResult<Subscription> {
  const sub = ctx.state.subscriptions.get(id);
  if (!sub) return failure(idNotFound());
  metaOf(ctx, id).scheduledChange = null;
  sub.has_scheduled_changes = false;
  sub.change_scheduled_at = null;
  ctx.changed();
  return success(sub);
}
