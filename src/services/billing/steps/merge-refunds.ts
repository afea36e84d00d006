import type { Repos } from '../../../adapters/db/repos.ts';
import type { NewRefund, Refund } from '../../../adapters/db/schema.ts';
import { mergeRefundStatus, type RefundStatus } from '../../../domain/billing-state.ts';
import { AppError } from '../../../domain/errors.ts';
import { changedKeys, fromUnix, laterOf } from './row-columns.ts';
import type { PaymentMerge } from './snapshot-types.ts';

/** A refund as it will be after the batch (ids are filled in when it is written). */
export type RefundRow = Omit<NewRefund, 'created_at'> & { created_at: Date; refund_id?: string };

/** Refunds after the batch, by Razorpay refund id, with what was stored and which snapshots changed one. */
export type PlannedRefunds = {
  before: Map<string, Refund>;
  after: Map<string, RefundRow>;
  changed: Map<number, boolean>;
};

/** Applies the batch's refund snapshots to the stored refunds in memory: pending moves to processed or failed, never back. */
export function planRefunds(stored: Refund[], merges: PaymentMerge[]): PlannedRefunds {
  const before = new Map(stored.map((row) => [row.razorpay_refund_id, row]));
  const after = new Map<string, RefundRow>(before);
  const changed = new Map<number, boolean>();
  for (const m of merges) {
    const refund = m.refund;
    if (!refund) continue;
    const current = after.get(refund.id);
    const status = refund.status as RefundStatus;
    const next: RefundRow = current
      ? {
          ...current,
          status: mergeRefundStatus(current.status, status),
          speed_processed: refund.speed_processed ?? current.speed_processed ?? null,
          last_event_at: laterOf(toDate(current.last_event_at), m.eventAt),
        }
      : {
          razorpay_refund_id: refund.id,
          razorpay_payment_id: m.payment.id,
          payment_id: '',
          amount: refund.amount,
          currency: refund.currency,
          status,
          speed_processed: refund.speed_processed ?? null,
          last_event_at: m.eventAt,
          created_at: fromUnix(refund.created_at) ?? new Date(0),
        };
    changed.set(m.index, !current || changedKeys(current, next).length > 0);
    after.set(refund.id, next);
  }
  return { before, after, changed };
}

/** The refunds of one payment after the batch. */
export function refundsOf(planned: PlannedRefunds, razorpayPaymentId: string): RefundRow[] {
  return [...planned.after.values()].filter((r) => r.razorpay_payment_id === razorpayPaymentId);
}

/**
 * Inserts new refunds and writes changed ones (conditional on their stored status), each with an
 * audit row. A refund another transaction stored first aborts the batch, to be applied again.
 */
export async function writePlannedRefunds(
  repos: Repos,
  planned: PlannedRefunds,
  paymentIdOf: (razorpayPaymentId: string) => string,
  actor: string,
): Promise<void> {
  const inserts: NewRefund[] = [];
  const writes: { id: string; expectedStatus: string; row: Refund }[] = [];
  for (const [id, row] of planned.after) {
    const stored = planned.before.get(id);
    if (!stored) inserts.push({ ...row, payment_id: paymentIdOf(row.razorpay_payment_id) });
    else if (changedKeys(stored, row).length > 0) {
      writes.push({ id: stored.refund_id, expectedStatus: stored.status, row: row as Refund });
    }
  }
  const inserted = await repos.billing.insertRefunds(inserts);
  if (inserted.length !== inserts.length) {
    throw new AppError('conflict', 'a refund was stored concurrently; the batch is retried');
  }
  const written = await repos.billing.writeRefunds(writes);
  if (written !== writes.length) throw new Error('a refund changed under its lock');
  const audit = (row: Refund, from: string | null) => ({
    actor,
    action: 'refund.sync',
    target: row.refund_id,
    details: { razorpayRefundId: row.razorpay_refund_id, from, to: row.status, amount: row.amount },
  });
  await repos.audit.record(
    ...inserted.map((row) => audit(row, null)),
    ...writes.map((w) => audit(w.row, w.expectedStatus)),
  );
}

function toDate(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}
