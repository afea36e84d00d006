import type { z } from 'zod';
import { AppError, type Result } from '../../domain/errors.ts';
import {
  EventInvoiceEntity,
  EventPaymentEntity,
  EventRefundEntity,
  EventSubscriptionEntity,
  RazorpayEventEnvelope,
  type RefundEntity,
} from '../../domain/razorpay-event.ts';
import { fromUnix } from '../billing/steps/row-columns.ts';
import type { BillingSnapshot } from '../billing/steps/snapshot-types.ts';

/**
 * What a stored inbox event tells the billing state machine: a subscription or payment snapshot,
 * or null when it carries nothing to merge (invoice.expired, order.paid without a payment). A
 * payload no retry can fix is a `bad_request`.
 */
export function snapshotFromEvent(stored: {
  event_type: string;
  payload: string;
}): Result<BillingSnapshot | null> {
  let body: unknown;
  try {
    body = JSON.parse(stored.payload);
  } catch {
    return malformed('envelope');
  }
  const envelope = RazorpayEventEnvelope.safeParse(body);
  if (!envelope.success) return malformed('envelope');
  const { payload } = envelope.data;
  const eventAt = fromUnix(envelope.data.created_at);
  const family = stored.event_type.split('.')[0];
  const payment = optional(EventPaymentEntity, payload.payment?.entity);
  if (payment === 'invalid') return malformed('payment');

  if (family === 'subscription') {
    const subscription = optional(EventSubscriptionEntity, payload.subscription?.entity);
    if (!subscription || subscription === 'invalid') return malformed('subscription');
    return {
      ok: true,
      value: { kind: 'subscription', subscription, payment: payment ?? undefined, eventAt },
    };
  }

  let razorpaySubscriptionId: string | null = null;
  if (family === 'invoice') {
    const invoice = optional(EventInvoiceEntity, payload.invoice?.entity);
    if (invoice === 'invalid') return malformed('invoice');
    razorpaySubscriptionId = invoice?.subscription_id ?? null;
  }
  let refund: RefundEntity | undefined;
  if (family === 'refund') {
    const parsed = optional(EventRefundEntity, payload.refund?.entity);
    if (!parsed || parsed === 'invalid') return malformed('refund');
    refund = parsed;
  }
  if (!payment) return { ok: true, value: null };
  return { ok: true, value: { kind: 'payment', payment, refund, razorpaySubscriptionId, eventAt } };
}

// The parsed copy: coerced fields (remaining_count may arrive as a string) read the same as a fetch.
function optional<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | null | 'invalid' {
  if (value === undefined) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : 'invalid';
}

// bad_request marks the event as one that no retry can fix.
function malformed(what: string): { ok: false; error: AppError } {
  return { ok: false, error: new AppError('bad_request', `event payload has no valid ${what} entity`) };
}
