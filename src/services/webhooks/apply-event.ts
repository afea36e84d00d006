import type { RzpPayment, RzpRefund, RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import {
  EventInvoiceEntity,
  EventPaymentEntity,
  EventRefundEntity,
  EventSubscriptionEntity,
  RazorpayEventEnvelope,
} from '../../domain/razorpay-event.ts';
import { convergePayment } from '../billing/converge-payment.ts';
import { convergeSubscription } from '../billing/converge-subscription.ts';
import type { ServiceContext } from '../context.ts';

/** Applies one stored inbox event through the billing state machine; `changed` is false for a no-op. */
export async function applyEvent(
  ctx: ServiceContext,
  stored: { event_type: string; payload: string },
): Promise<Result<{ changed: boolean }>> {
  const envelope = RazorpayEventEnvelope.safeParse(JSON.parse(stored.payload));
  if (!envelope.success) return malformed('envelope');
  const { payload, created_at: eventCreatedAt } = envelope.data;
  const family = stored.event_type.split('.')[0];
  const payment = optional<RzpPayment>(EventPaymentEntity, payload.payment?.entity);
  if (payment === 'invalid') return malformed('payment');

  if (family === 'subscription') {
    const subscription = optional<RzpSubscription>(EventSubscriptionEntity, payload.subscription?.entity);
    if (!subscription || subscription === 'invalid') return malformed('subscription');
    const done = await convergeSubscription({
      ctx,
      input: { subscription, payment: payment ?? undefined, eventCreatedAt },
    });
    return done.ok ? { ok: true, value: { changed: done.value.changed } } : done;
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
  // invoice.expired and order.paid without a payment have nothing to merge.
  if (!payment) return { ok: true, value: { changed: false } };
  const done = await convergePayment({
    ctx,
    input: { payment, refund, razorpaySubscriptionId, eventCreatedAt },
  });
  return done.ok ? { ok: true, value: { changed: done.value.changed } } : done;
}

// The domain schema checks every field the state machine reads; the rest is Razorpay's as sent.
function optional<T>(schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) {
  if (value === undefined) return null;
  return schema.safeParse(value).success ? (value as T) : ('invalid' as const);
}

// bad_request marks the event as one that no retry can fix.
function malformed(what: string): { ok: false; error: AppError } {
  return { ok: false, error: new AppError('bad_request', `event payload has no valid ${what} entity`) };
}
