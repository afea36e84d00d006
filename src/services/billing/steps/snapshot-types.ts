import type { PaymentStatus, SubscriptionStatus } from '../../../domain/billing-state.ts';
import type { PaymentEntity, RefundEntity, SubscriptionEntity } from '../../../domain/razorpay-event.ts';

/** A subscription entity from an event (with `eventAt`) or just fetched from Razorpay (`eventAt` null). */
export type SubscriptionSnapshot = {
  kind: 'subscription';
  subscription: SubscriptionEntity;
  /** The payment that arrived with it (subscription.charged, subscription.activated). */
  payment?: PaymentEntity;
  eventAt: Date | null;
};

/** A payment entity, with its refund and the subscription its event names, when any. */
export type PaymentSnapshot = {
  kind: 'payment';
  payment: PaymentEntity;
  refund?: RefundEntity;
  razorpaySubscriptionId: string | null;
  eventAt: Date | null;
};

/** One thing Razorpay told us, in the order it was claimed. */
export type BillingSnapshot = SubscriptionSnapshot | PaymentSnapshot;

/** A subscription snapshot's outcome: our row it landed on, its status after the batch, and whether it wrote anything. */
export type SubscriptionOutcome = {
  kind: 'subscription';
  id: string;
  status: SubscriptionStatus;
  changed: boolean;
};

/** A payment snapshot's outcome, likewise. */
export type PaymentOutcome = { kind: 'payment'; id: string; status: PaymentStatus; changed: boolean };

/** Per snapshot, in order: where it landed and whether it wrote anything. */
export type SnapshotOutcome = SubscriptionOutcome | PaymentOutcome;

/** One payment snapshot to merge, with the batch index it came from. */
export type PaymentMerge = {
  index: number;
  payment: PaymentEntity;
  eventAt: Date | null;
  refund?: RefundEntity;
  /** Our subscription the payment belongs to, when known. */
  link?: { subscription_id: string; user_id: string };
  /** The cycle the payment paid for, from the subscription snapshot it arrived with. */
  period?: { start: Date | null; end: Date | null };
};
