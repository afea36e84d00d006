import type { PaymentPatch, SubscriptionPatch } from '../../../adapters/db/billing-repo.ts';
import type { Payment, Subscription } from '../../../adapters/db/schema.ts';
import {
  isFinalSubscriptionStatus,
  mergePaymentStatus,
  refundStatusFor,
} from '../../../domain/billing-state.ts';
import type { PaymentEntity, RefundEntity, SubscriptionEntity } from '../../../domain/razorpay-event.ts';
import { hostedPageUrl } from '../../../domain/short-url.ts';

/** Unix seconds to a Date (null stays null). */
export const fromUnix = (seconds: number | null | undefined): Date | null =>
  typeof seconds === 'number' ? new Date(seconds * 1000) : null;

/** A time Razorpay sent (null clears it), or the one we had when it left the key out. */
export const sentOrKept = (seconds: number | null | undefined, kept: Date | null | undefined): Date | null =>
  seconds === undefined ? (kept ?? null) : fromUnix(seconds);

/** The later of two optional times. */
export const laterOf = (a: Date | null, b: Date | null): Date | null =>
  a && b ? (a.getTime() >= b.getTime() ? a : b) : (a ?? b);

/** Razorpay notes as a plain string map (`[]` when empty on the wire). */
export function notesOf(entity: { notes?: unknown }): Record<string, string> {
  const notes = entity.notes;
  if (!notes || Array.isArray(notes) || typeof notes !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(notes)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

/** The columns a Razorpay subscription snapshot determines (our tier, cycle and user stay ours). */
export function subscriptionColumns(
  s: SubscriptionEntity,
  current: Subscription | null,
  eventAt: Date | null,
): SubscriptionPatch {
  const final = isFinalSubscriptionStatus(s.status);
  return {
    status: s.status,
    razorpay_plan_id: s.plan_id,
    razorpay_customer_id: s.customer_id ?? current?.razorpay_customer_id ?? null,
    seats: Math.max(1, s.quantity),
    current_start: sentOrKept(s.current_start, current?.current_start),
    current_end: sentOrKept(s.current_end, current?.current_end),
    charge_at: sentOrKept(s.charge_at, current?.charge_at),
    start_at: sentOrKept(s.start_at, current?.start_at),
    ended_at: sentOrKept(s.ended_at, current?.ended_at),
    total_count: s.total_count,
    paid_count: s.paid_count,
    remaining_count:
      s.remaining_count !== undefined && Number.isFinite(s.remaining_count)
        ? s.remaining_count
        : (current?.remaining_count ?? null),
    auth_attempts: s.auth_attempts ?? current?.auth_attempts ?? 0,
    cancelled_at:
      s.status === 'cancelled' ? (fromUnix(s.ended_at) ?? current?.cancelled_at ?? eventAt) : null,
    // Razorpay shows nothing for a scheduled cancel, so our flag survives until the end is final.
    cancel_at_cycle_end: final ? false : (current?.cancel_at_cycle_end ?? false),
    last_event_at: laterOf(current?.last_event_at ?? null, eventAt),
    // Webhook copies send null; only a usable address replaces the one stored at checkout.
    short_url: hostedPageUrl(s.short_url) ?? current?.short_url ?? null,
  };
}

/** What a payment snapshot (with its refund and subscription, when known) makes of our row. */
export function paymentColumns(input: {
  payment: PaymentEntity;
  current: Payment | null;
  eventAt: Date | null;
  refund?: RefundEntity;
  /** Our subscription the payment belongs to, when known. */
  link?: { subscription_id: string; user_id: string };
  /** The cycle the payment paid for, from the subscription snapshot it arrived with. */
  period?: { start: Date | null; end: Date | null };
}): PaymentPatch {
  const { payment: p, current, eventAt, refund, link, period } = input;
  const status = current ? mergePaymentStatus(current.status, p.status) : p.status;
  const fromIncoming = !current || status !== current.status;
  const amountRefunded = Math.max(current?.amount_refunded ?? 0, p.amount_refunded);
  const failed = status === 'failed';
  const errors = fromIncoming
    ? {
        error_code: failed ? (p.error_code ?? null) : null,
        error_description: failed ? (p.error_description ?? null) : null,
        error_source: failed ? (p.error_source ?? null) : null,
        error_step: failed ? (p.error_step ?? null) : null,
        error_reason: failed ? (p.error_reason ?? null) : null,
        error_message: failed ? errorMessage(p) : null,
      }
    : {};
  return {
    status,
    ...errors,
    method: current?.method ?? p.method ?? null,
    razorpay_order_id: current?.razorpay_order_id ?? p.order_id ?? null,
    razorpay_invoice_id: current?.razorpay_invoice_id ?? p.invoice_id ?? null,
    amount_refunded: amountRefunded,
    refund_status: refundStatusFor(p.amount, amountRefunded),
    // Times come from the entity itself, so the row does not depend on delivery order.
    captured_at: status === 'captured' || status === 'refunded' ? fromUnix(p.created_at) : null,
    failed_at: failed ? fromUnix(p.created_at) : null,
    refunded_at:
      amountRefunded > 0 ? (current?.refunded_at ?? fromUnix(refund?.created_at) ?? eventAt) : null,
    subscription_id: current?.subscription_id ?? link?.subscription_id ?? null,
    user_id: current?.user_id ?? link?.user_id ?? null,
    billing_period_start: current?.billing_period_start ?? period?.start ?? null,
    billing_period_end: current?.billing_period_end ?? period?.end ?? null,
    last_event_at: laterOf(current?.last_event_at ?? null, eventAt),
  };
}

function errorMessage(p: PaymentEntity): string {
  const parts = [p.error_code, p.error_description].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  return parts.length > 0 ? parts.join(': ') : 'payment failed';
}

/** The keys of `patch` whose value differs from `row` (dates compared by time). */
export function changedKeys(row: Record<string, unknown>, patch: Record<string, unknown>): string[] {
  return Object.keys(patch).filter((key) => {
    const a = row[key];
    const b = patch[key];
    if (a instanceof Date || b instanceof Date) {
      const ta = a instanceof Date ? a.getTime() : a == null ? null : new Date(a as string).getTime();
      const tb = b instanceof Date ? b.getTime() : b == null ? null : new Date(b as string).getTime();
      return ta !== tb;
    }
    return (a ?? null) !== (b ?? null);
  });
}
