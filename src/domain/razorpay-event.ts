import { z } from 'zod';
import { REFUND_STATUSES, SUBSCRIPTION_STATUSES } from './billing-state.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The latest `created_at` an event may carry (2100-01-01, unix seconds); later ones are forged or broken. */
export const LATEST_EVENT_TIME = 4_102_444_800;

/** Razorpay's webhook envelope (razorpay-api-facts §1.5); entities are validated when applied. */
export const RazorpayEventEnvelope = z.looseObject({
  entity: z.literal('event'),
  // Razorpay's are acc_ plus 14 alphanumerics; anything unprintable could never be stored.
  account_id: z.string().regex(/^[\x21-\x7E]{1,64}$/),
  event: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/),
  contains: z.array(z.string()),
  // Checked in place: copying every entity field here would cost more than the signature check.
  payload: z.custom<Record<string, { entity: Record<string, unknown> }>>(
    (value) =>
      isRecord(value) && Object.values(value).every((part) => isRecord(part) && isRecord(part.entity)),
    { message: 'payload must map entity names to { entity: { … } }' },
  ),
  created_at: z.number().int().nonnegative().max(LATEST_EVENT_TIME),
});
export type RazorpayEventEnvelope = z.infer<typeof RazorpayEventEnvelope>;

/** X-Razorpay-Event-Id: opaque, but it keys the inbox (1–64 printable characters). */
export const RazorpayEventId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);

/** The events the processor applies; any other well-signed event is stored as `skipped`. */
export const HANDLED_EVENT_TYPES = [
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'order.paid',
  'subscription.authenticated',
  'subscription.activated',
  'subscription.charged',
  'subscription.pending',
  'subscription.halted',
  'subscription.cancelled',
  'subscription.completed',
  'subscription.paused',
  'subscription.resumed',
  'subscription.updated',
  'refund.created',
  'refund.processed',
  'refund.failed',
  'invoice.paid',
  'invoice.expired',
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

/** Whether the processor applies this event type. */
export function isHandledEventType(type: string): type is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(type);
}

const ENTITY_ID = /^[A-Za-z0-9_]{1,64}$/;

/** The id of the entity an event is mainly about (subscription first, then refund, payment, invoice, order). */
export function primaryEntityId(envelope: RazorpayEventEnvelope): string | null {
  for (const name of ['subscription', 'refund', 'payment', 'invoice', 'order']) {
    const id = envelope.payload[name]?.entity?.id;
    if (typeof id === 'string') return ENTITY_ID.test(id) ? id : null;
  }
  return null;
}

// The entity fields the state machine reads, checked before an event is applied. The full wire
// schemas live with the gateway adapter, which services may only import as types. As there, only
// ids, statuses and the amounts read are required: a key Razorpay leaves out is not an error.
const time = z.number().nullable().optional();
const notes = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).default([]);

/** A subscription entity inside an event (fields the state machine reads). */
export const EventSubscriptionEntity = z.looseObject({
  id: z.string().regex(/^sub_[A-Za-z0-9]+$/),
  entity: z.literal('subscription'),
  plan_id: z.string(),
  customer_id: z.string().nullable().optional(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  current_start: time,
  current_end: time,
  ended_at: time,
  charge_at: time,
  start_at: time,
  quantity: z.number().int().positive().default(1),
  total_count: z.number().int().nonnegative(),
  paid_count: z.number().int().nonnegative(),
  remaining_count: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  auth_attempts: z.number().int().nonnegative().optional(),
  notes,
  created_at: time,
  short_url: z.string().nullable().optional(),
});

/** The subscription fields billing reads: an event's entity, or Razorpay's fetched copy. */
export type SubscriptionEntity = z.infer<typeof EventSubscriptionEntity>;

/** A payment entity inside an event. */
export const EventPaymentEntity = z.looseObject({
  id: z.string().regex(/^pay_[A-Za-z0-9]+$/),
  entity: z.literal('payment'),
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  status: z.enum(['created', 'authorized', 'captured', 'refunded', 'failed']),
  order_id: z.string().nullable().optional(),
  invoice_id: z.string().nullable().optional(),
  method: z.string().nullable().optional(),
  amount_refunded: z.number().int().nonnegative(),
  error_code: z.string().nullable().optional(),
  error_description: z.string().nullable().optional(),
  error_source: z.string().nullable().optional(),
  error_step: z.string().nullable().optional(),
  error_reason: z.string().nullable().optional(),
  created_at: z.number(),
});

/** The payment fields billing reads. */
export type PaymentEntity = z.infer<typeof EventPaymentEntity>;

/** A refund entity inside an event. */
export const EventRefundEntity = z.looseObject({
  id: z.string().regex(/^rfnd_[A-Za-z0-9]+$/),
  entity: z.literal('refund'),
  payment_id: z.string(),
  amount: z.number().int().positive(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  status: z.enum(REFUND_STATUSES),
  speed_processed: z.string().nullable().optional(),
  created_at: z.number(),
});

/** The refund fields billing reads. */
export type RefundEntity = z.infer<typeof EventRefundEntity>;

/** An invoice entity inside an event. */
export const EventInvoiceEntity = z.looseObject({
  id: z.string(),
  entity: z.literal('invoice'),
  subscription_id: z.string().nullable().optional(),
});
