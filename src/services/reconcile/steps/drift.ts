import type { Payment, Subscription } from '../../../adapters/db/schema.ts';
import { decideSubscription, mergePaymentStatus } from '../../../domain/billing-state.ts';
import type { PaymentEntity, SubscriptionEntity } from '../../../domain/razorpay-event.ts';
import {
  changedKeys,
  notesOf,
  paymentColumns,
  sentOrKept,
  subscriptionColumns,
} from '../../billing/steps/row-columns.ts';

/** Field name to its shown value. */
export type Fields = Record<string, string>;

/** One difference between our rows and Razorpay's: what each says and what reconcile does about it. */
export type Drift = {
  entity: 'subscription' | 'payment';
  /** Razorpay's id of the entity. */
  id: string;
  /** The Razorpay subscription it belongs to. */
  subscription: string;
  /** The fields that differ as we hold them (null: we have no row). */
  ours: Fields | null;
  /** The same fields as Razorpay has them (null: Razorpay does not know the id). */
  razorpay: Fields | null;
  action: string;
  /** Whether the state machine will write it (false: left for a person). */
  convergible: boolean;
  /** Set by --apply: written, or why not. */
  outcome?: 'applied' | string;
};

// Bookkeeping columns the state machine keeps by itself, not facts Razorpay states.
const IGNORED = new Set(['last_event_at', 'cancel_at_cycle_end', 'short_url']);

const show = (value: unknown): string => {
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (value === null || value === undefined) return '-';
  return String(value);
};

function describe(keys: string[], row: Record<string, unknown>): Fields {
  return Object.fromEntries(keys.map((k) => [k, show(row[k])]));
}

/**
 * The drift of one subscription, judged by the same column mapping and transition rules the
 * billing state machine applies to a fetched entity; null when applying it would change nothing.
 */
export function subscriptionDrift(ours: Subscription | undefined, theirs: SubscriptionEntity): Drift | null {
  const base = { entity: 'subscription' as const, id: theirs.id, subscription: theirs.id };
  if (!ours) {
    const notes = notesOf(theirs);
    return {
      ...base,
      ours: null,
      razorpay: {
        status: theirs.status,
        paid_count: String(theirs.paid_count),
        user: notes.polaris_user_id ?? '-',
      },
      action: 'create from its notes',
      convergible: true,
    };
  }
  const patch = subscriptionColumns(theirs, ours, null);
  const keys = changedKeys(ours, patch).filter((k) => !IGNORED.has(k));
  if (keys.length === 0) return null;
  const decision = decideSubscription({
    current: {
      status: ours.status,
      eventAt: ours.last_event_at,
      paidCount: ours.paid_count,
      currentEnd: ours.current_end,
    },
    incoming: {
      status: theirs.status,
      eventAt: null,
      paidCount: theirs.paid_count,
      currentEnd: sentOrKept(theirs.current_end, ours.current_end),
    },
    authoritative: true,
  });
  const convergible = decision.kind === 'apply';
  return {
    ...base,
    ours: describe(keys, ours),
    razorpay: describe(keys, patch),
    action: convergible ? 'converge' : `left for a person: the state machine keeps ours (${decision.reason})`,
    convergible,
  };
}

/** The drift of one payment, judged by the payment column mapping; null when there is none. */
export function paymentDrift(
  ours: Payment | undefined,
  theirs: PaymentEntity,
  subscriptionId: string,
): Drift | null {
  const base = { entity: 'payment' as const, id: theirs.id, subscription: subscriptionId };
  if (!ours) {
    return {
      ...base,
      ours: null,
      razorpay: { status: theirs.status, amount: String(theirs.amount) },
      action: 'record',
      convergible: true,
    };
  }
  // A status Razorpay reports behind ours is never written (forward only), so the patch hides it.
  if (mergePaymentStatus(ours.status, theirs.status) !== theirs.status) {
    return {
      ...base,
      ours: { status: ours.status },
      razorpay: { status: theirs.status },
      action: 'left for a person: payments never move backwards',
      convergible: false,
    };
  }
  const patch = paymentColumns({ payment: theirs, current: ours, eventAt: null });
  const keys = changedKeys(ours, patch).filter((k) => !IGNORED.has(k));
  if (keys.length === 0) return null;
  return {
    ...base,
    ours: describe(keys, ours),
    razorpay: describe(keys, patch),
    action: 'converge',
    convergible: true,
  };
}
