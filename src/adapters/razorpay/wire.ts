import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../../domain/billing-state.ts';

// Loose objects: Razorpay adds fields over time, and a new field must never break parsing. Only
// ids, statuses and the amounts Polaris reads are required: Razorpay's own documented samples
// leave other keys out (test/fixtures/razorpay), and a missing one must not fail a whole call.
const notes = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).default([]);
const maybe = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const time = maybe(z.number());

/** A plan as Razorpay returns it. */
export const RzpPlan = z.looseObject({
  id: z.string(),
  entity: z.literal('plan'),
  interval: z.number(),
  period: z.string(),
  item: z.looseObject({
    id: maybe(z.string()),
    name: maybe(z.string()),
    amount: z.number(),
    currency: z.string(),
  }),
  notes,
  created_at: time,
});
export type RzpPlan = z.infer<typeof RzpPlan>;

/** A customer. */
export const RzpCustomer = z.looseObject({
  id: z.string(),
  entity: z.literal('customer'),
  name: maybe(z.string()),
  email: maybe(z.string()),
  contact: maybe(z.string()),
  created_at: time,
});
export type RzpCustomer = z.infer<typeof RzpCustomer>;

/**
 * A subscription; `paused` is a real status the docs leave out. A time key that is absent (as
 * `customer_id` is from the documented create, pause and resume responses) says nothing, so the
 * billing state machine keeps what it had; `null` clears.
 */
export const RzpSubscription = z.looseObject({
  id: z.string(),
  entity: z.literal('subscription'),
  plan_id: z.string(),
  customer_id: maybe(z.string()),
  status: z.enum(SUBSCRIPTION_STATUSES),
  current_start: time,
  current_end: time,
  ended_at: time,
  quantity: z.number().default(1),
  notes,
  charge_at: time,
  start_at: time,
  end_at: time,
  auth_attempts: z.number().optional(),
  total_count: z.number(),
  paid_count: z.number(),
  // The SDK types it as a string; absent, the count is unknown rather than zero.
  remaining_count: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  customer_notify: z.boolean().optional(),
  created_at: time,
  expire_by: time,
  short_url: maybe(z.string()),
  has_scheduled_changes: z.boolean().optional(),
  change_scheduled_at: time,
  payment_method: maybe(z.string()),
});
export type RzpSubscription = z.infer<typeof RzpSubscription>;

/** An invoice (subscription invoices carry `subscription_id`). */
export const RzpInvoice = z.looseObject({
  id: z.string(),
  entity: z.literal('invoice'),
  subscription_id: maybe(z.string()),
  customer_id: maybe(z.string()),
  order_id: maybe(z.string()),
  payment_id: maybe(z.string()),
  status: z.string(),
  amount: z.number(),
  amount_paid: z.number().optional(),
  amount_due: z.number().optional(),
  currency: maybe(z.string()),
  billing_start: time,
  billing_end: time,
  paid_at: time,
  created_at: time,
});
export type RzpInvoice = z.infer<typeof RzpInvoice>;

/** A payment. */
export const RzpPayment = z.looseObject({
  id: z.string(),
  entity: z.literal('payment'),
  amount: z.number(),
  currency: z.string(),
  status: z.enum(['created', 'authorized', 'captured', 'refunded', 'failed']),
  order_id: maybe(z.string()),
  invoice_id: maybe(z.string()),
  method: maybe(z.string()),
  amount_refunded: z.number(),
  refund_status: maybe(z.enum(['partial', 'full'])),
  // Documented samples of subscription events send "1"; real payloads send a boolean.
  captured: z.union([z.boolean(), z.enum(['0', '1']).transform((v) => v === '1')]).optional(),
  email: maybe(z.string()),
  contact: maybe(z.string()),
  error_code: maybe(z.string()),
  error_description: maybe(z.string()),
  error_source: maybe(z.string()),
  error_step: maybe(z.string()),
  error_reason: maybe(z.string()),
  created_at: z.number(),
});
export type RzpPayment = z.infer<typeof RzpPayment>;

/** An order. */
export const RzpOrder = z.looseObject({
  id: z.string(),
  entity: z.literal('order'),
  amount: z.number(),
  amount_paid: z.number().optional(),
  amount_due: z.number().optional(),
  currency: z.string(),
  receipt: maybe(z.string()),
  status: z.enum(['created', 'attempted', 'paid']),
  attempts: z.number().optional(),
  notes,
  created_at: time,
});
export type RzpOrder = z.infer<typeof RzpOrder>;

/** A refund. */
export const RzpRefund = z.looseObject({
  id: z.string(),
  entity: z.literal('refund'),
  amount: z.number(),
  currency: z.string(),
  payment_id: z.string(),
  notes,
  receipt: maybe(z.string()),
  status: z.enum(['pending', 'processed', 'failed']),
  speed_requested: maybe(z.string()),
  speed_processed: maybe(z.string()),
  created_at: z.number(),
});
export type RzpRefund = z.infer<typeof RzpRefund>;

/** Razorpay's collection envelope around `item`. */
export const rzpCollection = <T extends z.ZodType>(item: T) =>
  z.looseObject({ entity: z.literal('collection'), count: z.number(), items: z.array(item) });
/** A collection of items. */
export type RzpCollection<T> = { entity: 'collection'; count: number; items: T[] };

/** Razorpay's error body. */
export const RzpErrorBody = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    description: z.string(),
    field: z.string().nullable().optional(),
    source: z.string().nullable().optional(),
    step: z.string().nullable().optional(),
    reason: z.string().nullable().optional(),
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
});
