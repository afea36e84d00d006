import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../../domain/billing-state.ts';

// Loose objects: Razorpay adds fields over time, and a new field must never break parsing.
const notes = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);

/** A plan as Razorpay returns it. */
export const RzpPlan = z.looseObject({
  id: z.string(),
  entity: z.literal('plan'),
  interval: z.number(),
  period: z.string(),
  item: z.looseObject({ id: z.string(), name: z.string(), amount: z.number(), currency: z.string() }),
  notes,
  created_at: z.number(),
});
export type RzpPlan = z.infer<typeof RzpPlan>;

/** A customer. */
export const RzpCustomer = z.looseObject({
  id: z.string(),
  entity: z.literal('customer'),
  name: z.string().nullable(),
  email: z.string().nullable(),
  contact: z.string().nullable(),
  created_at: z.number(),
});
export type RzpCustomer = z.infer<typeof RzpCustomer>;

/** A subscription; `paused` is a real status the docs leave out. */
export const RzpSubscription = z.looseObject({
  id: z.string(),
  entity: z.literal('subscription'),
  plan_id: z.string(),
  customer_id: z.string().nullable(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  current_start: z.number().nullable(),
  current_end: z.number().nullable(),
  ended_at: z.number().nullable(),
  quantity: z.number(),
  notes,
  charge_at: z.number().nullable(),
  start_at: z.number().nullable(),
  end_at: z.number().nullable(),
  auth_attempts: z.number(),
  total_count: z.number(),
  paid_count: z.number(),
  remaining_count: z.coerce.number(),
  customer_notify: z.boolean(),
  created_at: z.number(),
  expire_by: z.number().nullable(),
  short_url: z.string().nullable(),
  has_scheduled_changes: z.boolean(),
  change_scheduled_at: z.number().nullable(),
  payment_method: z.string().nullable().optional(),
});
export type RzpSubscription = z.infer<typeof RzpSubscription>;

/** An invoice (subscription invoices carry `subscription_id`). */
export const RzpInvoice = z.looseObject({
  id: z.string(),
  entity: z.literal('invoice'),
  subscription_id: z.string().nullable().optional(),
  customer_id: z.string().nullable(),
  order_id: z.string().nullable(),
  payment_id: z.string().nullable(),
  status: z.string(),
  amount: z.number(),
  amount_paid: z.number(),
  amount_due: z.number(),
  currency: z.string(),
  billing_start: z.number().nullable().optional(),
  billing_end: z.number().nullable().optional(),
  paid_at: z.number().nullable(),
  created_at: z.number(),
});
export type RzpInvoice = z.infer<typeof RzpInvoice>;

/** A payment. */
export const RzpPayment = z.looseObject({
  id: z.string(),
  entity: z.literal('payment'),
  amount: z.number(),
  currency: z.string(),
  status: z.enum(['created', 'authorized', 'captured', 'refunded', 'failed']),
  order_id: z.string().nullable(),
  invoice_id: z.string().nullable().optional(),
  method: z.string(),
  amount_refunded: z.number(),
  refund_status: z.enum(['partial', 'full']).nullable(),
  captured: z.boolean(),
  email: z.string().nullable().optional(),
  contact: z.string().nullable().optional(),
  error_code: z.string().nullable(),
  error_description: z.string().nullable(),
  error_source: z.string().nullable().optional(),
  error_step: z.string().nullable().optional(),
  error_reason: z.string().nullable().optional(),
  created_at: z.number(),
});
export type RzpPayment = z.infer<typeof RzpPayment>;

/** An order. */
export const RzpOrder = z.looseObject({
  id: z.string(),
  entity: z.literal('order'),
  amount: z.number(),
  amount_paid: z.number(),
  amount_due: z.number(),
  currency: z.string(),
  receipt: z.string().nullable(),
  status: z.enum(['created', 'attempted', 'paid']),
  attempts: z.number(),
  notes,
  created_at: z.number(),
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
  receipt: z.string().nullable(),
  status: z.enum(['pending', 'processed', 'failed']),
  speed_requested: z.string().nullable().optional(),
  speed_processed: z.string().nullable().optional(),
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
