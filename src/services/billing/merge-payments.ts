import type { ConditionalWrite } from '../../adapters/db/billing-repo.ts';
import type { Repos } from '../../adapters/db/repos.ts';
import type { NewPayment, Payment } from '../../adapters/db/schema.ts';
import type { RzpPayment, RzpRefund } from '../../adapters/razorpay/wire.ts';
import type { SnapshotOutcome } from './billing-batch.ts';
import { changedKeys, fromUnix, paymentColumns } from './snapshot.ts';

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

type Planned = {
  inserts: NewPayment[];
  writes: ConditionalWrite<Payment>[];
  state: Map<string, Payment>;
  changed: Map<number, boolean>;
};

/**
 * Merges payment snapshots into our payments table, forward only (status never moves back,
 * refunds only grow): every payment is locked and read once, new ones inserted together and
 * changed ones written by one conditional statement, each with an audit row. Safe to run any
 * number of times.
 */
export async function mergePayments(
  repos: Repos,
  merges: PaymentMerge[],
  actor: string,
): Promise<{ outcomes: Map<number, SnapshotOutcome> }> {
  if (merges.length === 0) return { outcomes: new Map() };
  const ids = [...new Set(merges.map((m) => m.payment.id))].sort();
  const planned = plan(await repos.billing.lockPaymentsByRazorpayIds(ids), merges);
  const inserted = await repos.billing.insertPayments(planned.inserts);
  for (const row of inserted) planned.state.set(row.razorpay_payment_id, row);
  const lost = new Set(planned.inserts.map((v) => v.razorpay_payment_id));
  for (const row of inserted) lost.delete(row.razorpay_payment_id);
  if (lost.size > 0) {
    // Another transaction inserted these first; their rows are committed now, so merge into them.
    const again = plan(
      await repos.billing.lockPaymentsByRazorpayIds([...lost]),
      merges.filter((m) => lost.has(m.payment.id)),
    );
    if (again.inserts.length > 0)
      throw new Error(`payment ${again.inserts[0]!.razorpay_payment_id} vanished`);
    planned.writes.push(...again.writes);
    for (const [id, row] of again.state) planned.state.set(id, row);
    for (const [index, changed] of again.changed) planned.changed.set(index, changed);
  }
  const written = await repos.billing.writePayments(planned.writes);
  // Every row is locked, so a miss here is a bug, not a race.
  if (written !== planned.writes.length) throw new Error('a payment changed under its lock');
  const audit = (row: Payment, from: string | null) => ({
    actor,
    action: 'payment.sync',
    target: row.payment_id,
    details: {
      razorpayPaymentId: row.razorpay_payment_id,
      from,
      to: row.status,
      amountRefunded: row.amount_refunded,
    },
  });
  await repos.audit.record(
    ...inserted.map((row) => audit(row, null)),
    ...planned.writes.map((w) => audit(w.row, w.expectedStatus)),
  );
  const outcomes = new Map<number, SnapshotOutcome>();
  for (const m of merges) {
    const row = planned.state.get(m.payment.id)!;
    outcomes.set(m.index, { id: row.payment_id, status: row.status, changed: planned.changed.get(m.index)! });
  }
  return { outcomes };
}

// Applies the merges in order to the stored rows (or to a new row) in memory.
function plan(stored: Payment[], merges: PaymentMerge[]): Planned {
  const before = new Map(stored.map((row) => [row.razorpay_payment_id, row]));
  const state = new Map(before);
  const fresh = new Set<string>();
  const changed = new Map<number, boolean>();
  for (const m of merges) {
    const id = m.payment.id;
    const current = state.get(id);
    if (!current) {
      state.set(id, newPayment(m) as unknown as Payment);
      fresh.add(id);
      changed.set(m.index, true);
      continue;
    }
    const patch = paymentColumns({ ...m, current });
    const moved = changedKeys(current, patch).length > 0;
    changed.set(m.index, moved);
    if (moved) state.set(id, { ...current, ...patch } as Payment);
  }
  const writes = [...before]
    .filter(([id, row]) => changedKeys(row, state.get(id)!).length > 0)
    .map(([id, row]) => ({ id: row.payment_id, expectedStatus: row.status, row: state.get(id)! }));
  const inserts = [...fresh].map((id) => state.get(id) as unknown as NewPayment);
  return { inserts, writes, state, changed };
}

function newPayment(m: PaymentMerge): NewPayment {
  return {
    ...paymentColumns({ ...m, current: null }),
    razorpay_payment_id: m.payment.id,
    amount: m.payment.amount,
    currency: m.payment.currency,
    status: m.payment.status,
    created_at: fromUnix(m.payment.created_at) ?? undefined,
  };
}
