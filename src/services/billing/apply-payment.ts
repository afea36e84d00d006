import type { Repos } from '../../adapters/db/repos.ts';
import type { Payment } from '../../adapters/db/schema.ts';
import type { RzpPayment, RzpRefund } from '../../adapters/razorpay/wire.ts';
import { changedKeys, fromUnix, paymentColumns } from './snapshot.ts';

/** One payment snapshot to merge into our payments table, inside the caller's transaction. */
export type PaymentSnapshot = {
  payment: RzpPayment;
  eventAt: Date | null;
  refund?: RzpRefund;
  link?: { subscription_id: string; user_id: string };
  period?: { start: Date | null; end: Date | null };
};

/**
 * Inserts or forward-merges a payment row (status never moves back, refunds only grow); the row
 * stays locked until the transaction ends. Safe to run any number of times.
 */
export async function applyPaymentSnapshot(
  repos: Repos,
  snap: PaymentSnapshot,
): Promise<{ row: Payment; changed: boolean }> {
  const id = snap.payment.id;
  let current = await repos.billing.findPaymentByRazorpayId(id, { forUpdate: true });
  if (!current) {
    const inserted = await repos.billing.insertPayment({
      ...paymentColumns({ ...snap, current: null }),
      razorpay_payment_id: id,
      amount: snap.payment.amount,
      currency: snap.payment.currency,
      status: snap.payment.status,
      created_at: fromUnix(snap.payment.created_at) ?? undefined,
    });
    if (inserted) return { row: inserted, changed: true };
    // Another transaction inserted it first; its row is committed now, so lock and merge into it.
    current = await repos.billing.findPaymentByRazorpayId(id, { forUpdate: true });
    if (!current) throw new Error(`payment ${id} vanished during insert`);
  }
  const patch = paymentColumns({ ...snap, current });
  const keys = changedKeys(current, patch);
  if (keys.length === 0) return { row: current, changed: false };
  const updated = await repos.billing.updatePayment(current.payment_id, current.status, patch);
  // The row is locked, so a conflict here is a bug, not a race.
  if (!updated) throw new Error(`payment ${id} changed under its lock`);
  return { row: updated, changed: true };
}
