import { z } from 'zod';
import { type ApiResult, badRequest, failure, idNotFound, success } from './api-error.ts';
import { type Ctx, toNotes } from './context.ts';
import { newId } from './ids.ts';
import { metaOf, refreshEndAt } from './subscription-billing.ts';
import type { Subscription } from './types.ts';
import { amountSchema, boolish, currencySchema, intish, notesSchema, validate } from './validate.ts';

const createSubscriptionBody = z.strictObject({
  plan_id: z.string(),
  total_count: intish().pipe(z.number().min(1)),
  quantity: intish().pipe(z.number().min(1)).optional(),
  start_at: intish().optional(),
  expire_by: intish().optional(),
  customer_notify: boolish().optional(),
  addons: z
    .array(
      z.strictObject({
        item: z.strictObject({
          name: z.string(),
          amount: amountSchema(),
          currency: currencySchema(),
        }),
      }),
    )
    .optional(),
  offer_id: z.string().optional(),
  notes: notesSchema().optional(),
  notify_info: z
    .strictObject({ notify_phone: z.string().optional(), notify_email: z.string().optional() })
    .optional(),
});

/** Creates a subscription in `created` (no webhook: Razorpay has no created event). */
export function createSubscription(ctx: Ctx, input: unknown, checkoutBase: string): ApiResult<Subscription> {
  const body = validate(createSubscriptionBody, input);
  if (!body.ok) return body;
  const b = body.value;
  const plan = ctx.state.plans.get(b.plan_id);
  if (!plan) return failure(badRequest('The id provided does not exist', 'plan_id'));
  if (b.offer_id !== undefined) return failure(badRequest('The id provided does not exist', 'offer_id'));
  const now = ctx.clock.now();
  if (b.start_at !== undefined && b.start_at < now) {
    return failure(badRequest('start_at cannot be lesser than the current time.', 'start_at'));
  }
  if (b.expire_by !== undefined && b.expire_by < now) {
    return failure(badRequest('expire_by cannot be lesser than the current time.', 'expire_by'));
  }
  const id = newId('subscription');
  const sub: Subscription = {
    id,
    entity: 'subscription',
    plan_id: plan.id,
    customer_id: null,
    status: 'created',
    type: 3,
    current_start: null,
    current_end: null,
    ended_at: null,
    quantity: b.quantity ?? 1,
    notes: toNotes(b.notes),
    charge_at: b.start_at ?? null,
    start_at: b.start_at ?? null,
    end_at: null,
    auth_attempts: 0,
    total_count: b.total_count,
    paid_count: 0,
    customer_notify: b.customer_notify ?? true,
    created_at: now,
    expire_by: b.expire_by ?? null,
    short_url: `${checkoutBase}/v1/checkout/pay?subscription_id=${id}`,
    has_scheduled_changes: false,
    change_scheduled_at: null,
    source: 'api',
    offer_id: null,
    remaining_count: b.total_count,
  };
  ctx.state.subscriptions.set(id, sub);
  metaOf(ctx, id).addons = (b.addons ?? []).map(({ item }) => item);
  refreshEndAt(ctx, sub);
  ctx.changed();
  return success(sub);
}

/** Fetches a subscription by id. */
export function fetchSubscription(ctx: Ctx, id: string): ApiResult<Subscription> {
  const sub = ctx.state.subscriptions.get(id);
  return sub ? success(sub) : failure(idNotFound());
}

/** Final statuses: nothing leaves them. */
