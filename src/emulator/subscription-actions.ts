import { z } from 'zod';
import { isFinalSubscriptionStatus } from '../domain/billing-state.ts';
import { type ApiResult, badRequest, failure, idNotFound, success } from './api-error.ts';
import type { Ctx } from './context.ts';
import { metaOf } from './subscription-billing.ts';
import type { Subscription } from './types.ts';
import { boolish, validate } from './validate.ts';

const cancelBody = z.strictObject({ cancel_at_cycle_end: boolish().optional() });
const pauseBody = z.strictObject({ pause_at: z.literal('now').optional() });
const resumeBody = z.strictObject({ resume_at: z.literal('now').optional() });

/** Cancels now (final, `subscription.cancelled`), emitting the event with the cancelled snapshot. */
export function cancelNow(ctx: Ctx, sub: Subscription, at = ctx.clock.now()): void {
  sub.status = 'cancelled';
  sub.ended_at = at;
  sub.charge_at = null;
  sub.cancel_initiated_by = 'self';
  sub.has_scheduled_changes = false;
  sub.change_scheduled_at = null;
  const meta = metaOf(ctx, sub.id);
  meta.cancelAtCycleEnd = false;
  meta.scheduledChange = null;
  meta.openInvoiceId = null;
  ctx.emit('subscription.cancelled', { subscription: sub });
  ctx.changed();
}

/**
 * Cancels now, or at the end of the current cycle: that one is recorded invisibly and the
 * response looks unchanged, as on Razorpay; the event fires at `current_end`.
 */
export function cancelSubscription(ctx: Ctx, id: string, input: unknown): ApiResult<Subscription> {
  const sub = ctx.state.subscriptions.get(id);
  if (!sub) return failure(idNotFound());
  const body = validate(cancelBody, input);
  if (!body.ok) return body;
  if (isFinalSubscriptionStatus(sub.status)) {
    return failure(badRequest(`Subscription is not cancellable in ${sub.status} status.`, 'status'));
  }
  if (body.value.cancel_at_cycle_end === true && sub.current_end !== null) {
    metaOf(ctx, id).cancelAtCycleEnd = true;
    ctx.changed();
    return success(sub);
  }
  cancelNow(ctx, sub);
  return success(sub);
}

/** Pauses an active subscription; pausing an authenticated one cancels it, as the docs say. */
export function pauseSubscription(ctx: Ctx, id: string, input: unknown): ApiResult<Subscription> {
  const sub = ctx.state.subscriptions.get(id);
  if (!sub) return failure(idNotFound());
  const body = validate(pauseBody, input);
  if (!body.ok) return body;
  if (sub.status === 'authenticated') {
    cancelNow(ctx, sub);
    return success(sub);
  }
  if (sub.status !== 'active') {
    return failure(badRequest(`Subscription cannot be paused in ${sub.status} status.`, 'status'));
  }
  sub.status = 'paused';
  sub.paused_at = ctx.clock.now();
  sub.pause_initiated_by = 'self';
  sub.charge_at = null;
  ctx.emit('subscription.paused', { subscription: sub });
  ctx.changed();
  return success(sub);
}

/** Resumes a paused subscription; a cycle that ended while paused is charged at once. */
export function resumeSubscription(ctx: Ctx, id: string, input: unknown): ApiResult<Subscription> {
  const sub = ctx.state.subscriptions.get(id);
  if (!sub) return failure(idNotFound());
  const body = validate(resumeBody, input);
  if (!body.ok) return body;
  if (sub.status !== 'paused') {
    return failure(badRequest(`Subscription cannot be resumed in ${sub.status} status.`, 'status'));
  }
  const now = ctx.clock.now();
  sub.status = 'active';
  sub.paused_at = null;
  sub.pause_initiated_by = null;
  sub.charge_at = sub.remaining_count > 0 ? Math.max(sub.current_end ?? now, now) : null;
  ctx.emit('subscription.resumed', { subscription: sub });
  ctx.changed();
  return success(sub);
}
