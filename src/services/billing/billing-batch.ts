import type { RazorpayError } from '../../adapters/razorpay/errors.ts';
import type { RzpPayment, RzpRefund, RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { AppError } from '../../domain/errors.ts';
import { razorpayFailure } from '../razorpay-failure.ts';

/** A subscription entity from an event (with `eventAt`) or just fetched from Razorpay (`eventAt` null). */
export type SubscriptionSnapshot = {
  kind: 'subscription';
  subscription: RzpSubscription;
  /** The payment that arrived with it (subscription.charged, subscription.activated). */
  payment?: RzpPayment;
  eventAt: Date | null;
};

/** A payment entity, with its refund and the subscription its event names, when any. */
export type PaymentSnapshot = {
  kind: 'payment';
  payment: RzpPayment;
  refund?: RzpRefund;
  razorpaySubscriptionId: string | null;
  eventAt: Date | null;
};

/** One thing Razorpay told us, in the order it was claimed. */
export type BillingSnapshot = SubscriptionSnapshot | PaymentSnapshot;

/** Per snapshot: our row it landed on, that row's status after the batch, and whether it wrote anything. */
export type SnapshotOutcome = { id: string; status: string; changed: boolean };

/** One payment snapshot to merge, with the batch index it came from. */
export type PaymentMerge = {
  index: number;
  payment: RzpPayment;
  eventAt: Date | null;
  refund?: RzpRefund;
  /** Our subscription the payment belongs to, when known. */
  link?: { subscription_id: string; user_id: string };
  /** The cycle the payment paid for, from the subscription snapshot it arrived with. */
  period?: { start: Date | null; end: Date | null };
};

/** Thrown inside the transaction to roll it back; becomes the verb's failed result. */
export class BillingAbort extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}

/** A failed Razorpay call made while converging, as the error that rolls the batch back. */
export function razorpayAbort(error: RazorpayError, doing: string): BillingAbort {
  return new BillingAbort(razorpayFailure(error, doing));
}

/**
 * An entity that is not Polaris's (another product on the same Razorpay account): no retry will
 * change that, so the inbox marks its event skipped with this message.
 */
export function notOurs(message: string): BillingAbort {
  return new BillingAbort(new AppError('not_found', message, { disposition: 'skip' }));
}

/** An event that names something Polaris cannot apply until an operator acts: parked at once, not retried. */
export function cannotApply(message: string): BillingAbort {
  return new BillingAbort(new AppError('conflict', message, { disposition: 'fail' }));
}
