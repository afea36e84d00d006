// Forward-only transition rules for Razorpay subscriptions and payments (DESIGN §7 "State rules").
// Pure functions: the webhook processor, checkout verify and reconcile all decide through these.

export const SUBSCRIPTION_STATUSES = [
  'created',
  'authenticated',
  'active',
  'pending',
  'halted',
  'cancelled',
  'completed',
  'expired',
  'paused',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Statuses a subscription never leaves. */
export const FINAL_SUBSCRIPTION_STATUSES = [
  'cancelled',
  'completed',
  'expired',
] as const satisfies readonly SubscriptionStatus[];

/** Every status that is not final: the subscription still runs, or may (one live row per user). */
export const LIVE_SUBSCRIPTION_STATUSES = [
  'created',
  'authenticated',
  'active',
  'pending',
  'halted',
  'paused',
] as const satisfies readonly SubscriptionStatus[];

const SUBSCRIPTION_MOVES: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  created: ['authenticated', 'active', 'cancelled', 'expired'],
  authenticated: ['active', 'cancelled'],
  active: ['pending', 'paused', 'cancelled', 'completed'],
  pending: ['active', 'halted', 'cancelled', 'completed'],
  halted: ['active', 'cancelled'],
  paused: ['active', 'cancelled'],
  cancelled: [],
  completed: [],
  expired: [],
};

/** Whether a subscription status is final (cancelled, completed, expired). */
export function isFinalSubscriptionStatus(status: SubscriptionStatus): boolean {
  return (FINAL_SUBSCRIPTION_STATUSES as readonly string[]).includes(status);
}

/** Whether one event may move a subscription from `from` to `to` (staying put is always allowed unless final rules say otherwise). */
export function canMoveSubscription(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return from === to || SUBSCRIPTION_MOVES[from].includes(to);
}

/** What we last applied to a subscription, and what an incoming snapshot says. */
export type SubscriptionClock = { eventAt: Date | null; paidCount: number; currentEnd: Date | null };

/**
 * Orders two snapshots of one subscription: the event's created_at first, then paid_count, then
 * current_end. Missing event times (a fetched entity) fall through to the entity's own fields.
 */
export function compareSubscriptionSnapshots(
  applied: SubscriptionClock,
  incoming: SubscriptionClock,
): 'older' | 'same' | 'newer' {
  if (applied.eventAt && incoming.eventAt) {
    const d = incoming.eventAt.getTime() - applied.eventAt.getTime();
    if (d !== 0) return d < 0 ? 'older' : 'newer';
  }
  if (incoming.paidCount !== applied.paidCount)
    return incoming.paidCount < applied.paidCount ? 'older' : 'newer';
  const a = applied.currentEnd?.getTime() ?? null;
  const b = incoming.currentEnd?.getTime() ?? null;
  if (a !== null && b !== null && a !== b) return b < a ? 'older' : 'newer';
  if (a !== null && b === null) return 'older';
  if (a === null && b !== null) return 'newer';
  return 'same';
}

/** The verdict for one incoming subscription snapshot. */
export type SubscriptionDecision =
  | { kind: 'apply' }
  | { kind: 'ignore'; reason: 'stale' | 'final' }
  | { kind: 'unplaceable'; reason: string };

/**
 * Decides whether an incoming snapshot may be written. `authoritative` marks an entity just
 * fetched from Razorpay: it may jump several steps at once, but never leaves a final status.
 */
export function decideSubscription(input: {
  current: { status: SubscriptionStatus } & SubscriptionClock;
  incoming: { status: SubscriptionStatus } & SubscriptionClock;
  authoritative: boolean;
}): SubscriptionDecision {
  const { current, incoming } = input;
  if (isFinalSubscriptionStatus(current.status) && incoming.status !== current.status) {
    return { kind: 'ignore', reason: 'final' };
  }
  const order = compareSubscriptionSnapshots(current, incoming);
  if (order === 'older') return { kind: 'ignore', reason: 'stale' };
  if (canMoveSubscription(current.status, incoming.status)) return { kind: 'apply' };
  if (input.authoritative) return { kind: 'apply' };
  return { kind: 'unplaceable', reason: `${current.status} -> ${incoming.status} is not a transition` };
}

export const PAYMENT_STATUSES = ['created', 'failed', 'authorized', 'captured', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

// A total order: failed sits after created and before authorized, since a failed payment may
// still be authorised late, but nothing authorised or captured ever returns to failed.
const PAYMENT_RANK: Record<PaymentStatus, number> = {
  created: 0,
  failed: 1,
  authorized: 2,
  captured: 3,
  refunded: 4,
};

/** Whether a payment may move from `from` to `to` (forward only; the same status is a no-op). */
export function canMovePayment(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_RANK[to] >= PAYMENT_RANK[from];
}

/** The status after merging an incoming snapshot: the further of the two. */
export function mergePaymentStatus(current: PaymentStatus, incoming: PaymentStatus): PaymentStatus {
  return canMovePayment(current, incoming) ? incoming : current;
}

/** Refund status from the amounts: partial refunds keep `captured` with `partial`. */
export function refundStatusFor(amount: number, refunded: number): 'partial' | 'full' | null {
  if (refunded <= 0) return null;
  return refunded >= amount ? 'full' : 'partial';
}

export const REFUND_STATUSES = ['pending', 'processed', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A refund's status after an incoming snapshot: pending moves to processed or failed, which are final. */
export function mergeRefundStatus(current: RefundStatus, incoming: RefundStatus): RefundStatus {
  return current === 'pending' ? incoming : current;
}

/**
 * A payment's refunded amount and status once its known refunds are counted. Razorpay's own
 * figure stands unless refunds we know failed are in it (a failed refund gives the money back),
 * and never falls below the refunds we know went through or are pending; so a fully refunded
 * payment whose refund failed is captured again, the one move back a payment makes.
 */
export function settleRefunds(
  payment: { status: PaymentStatus; amount: number; amountRefunded: number },
  refunds: readonly { amount: number; status: RefundStatus }[],
): { status: PaymentStatus; amountRefunded: number } {
  if (refunds.length === 0) return { status: payment.status, amountRefunded: payment.amountRefunded };
  const sum = (wanted: (s: RefundStatus) => boolean) =>
    refunds.filter((r) => wanted(r.status)).reduce((total, r) => total + r.amount, 0);
  const failed = sum((s) => s === 'failed');
  const live = sum((s) => s !== 'failed');
  const refunded = Math.min(payment.amount, Math.max(live, payment.amountRefunded - failed, 0));
  let status = payment.status;
  if (status === 'refunded' && refunded < payment.amount) status = 'captured';
  if (status === 'captured' && refunded >= payment.amount) status = 'refunded';
  return { status, amountRefunded: refunded };
}
