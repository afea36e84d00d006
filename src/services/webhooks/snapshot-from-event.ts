import type { RzpPayment, RzpRefund, RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import {
  EventInvoiceEntity,
  EventPaymentEntity,
  EventRefundEntity,
  EventSubscriptionEntity,
  RazorpayEventEnvelope,
} from '../../domain/razorpay-event.ts';
import type { BillingSnapshot } from '../billing/billing-batch.ts';
import { fromUnix } from '../billing/snapshot.ts';

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
  const payment = optional<RzpPayment>(EventPaymentEntity, payload.payment?.entity);
  if (payment === 'invalid') return malformed('payment');

  if (family === 'subscription') {
    const subscription = optional<RzpSubscription>(EventSubscriptionEntity, payload.subscription?.entity);
    if (!subscription || subscription === 'invalid') return malformed('subscription');
    return {
      ok: true,
      value: { kind: 'subscription', subscription, payment: payment ?? undefined, eventAt },
    };
  }

  let razorpaySubscriptionId: string | null = null;
  let refund: RzpRefund | undefined;
  if (family === 'invoice') {
    const invoice = optional<{ subscription_id?: string | null }>(
      EventInvoiceEntity,
      payload.invoice?.entity,
    );
    if (invoice === 'invalid') return malformed('invoice');
    razorpaySubscriptionId = invoice?.subscription_id ?? null;
  }
  if (family === 'refund') {
    const parsed = optional<RzpRefund>(EventRefundEntity, payload.refund?.entity);
    if (!parsed || parsed === 'invalid') return malformed('refund');
    refund = parsed;
  }
  if (!payment) return { ok: true, value: null };
  return { ok: true, value: { kind: 'payment', payment, refund, razorpaySubscriptionId, eventAt } };
}

// The domain schema checks every field the state machine reads; the rest is Razorpay's as sent.
function optional<T>(
  schema: { safeParse(v: unknown): { success: true; data: unknown } | { success: false } },
  value: unknown,
) {
  if (value === undefined) return null;
  const parsed = schema.safeParse(value);
  // The parsed copy: coerced fields (remaining_count may arrive as a string) read the same as a fetch.
  return parsed.success ? (parsed.data as T) : ('invalid' as const);
}

// bad_request marks the event as one that no retry can fix.
function malformed(what: string): { ok: false; error: AppError } {
  return { ok: false, error: new AppError('bad_request', `event payload has no valid ${what} entity`) };
}
