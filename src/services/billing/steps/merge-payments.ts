import type { ConditionalWrite } from '../../../adapters/db/billing-repo.ts';
import type { Repos } from '../../../adapters/db/repos.ts';
import type { NewPayment, Payment } from '../../../adapters/db/schema.ts';
import { refundStatusFor, settleRefunds } from '../../../domain/billing-state.ts';
import { AppError } from '../../../domain/errors.ts';
import { present } from '../../../domain/present.ts';
import {
  type PlannedRefunds,
  planRefunds,
  type RefundRow,
  refundsOf,
  writePlannedRefunds,
} from './merge-refunds.ts';
import { changedKeys, fromUnix, paymentColumns } from './row-columns.ts';
import type { PaymentMerge, PaymentOutcome } from './snapshot-types.ts';

type Planned = {
  inserts: NewPayment[];
  writes: ConditionalWrite<Payment>[];
  state: Map<string, Payment>;
  changed: Map<number, boolean>;
};

/**
 * Merges payment snapshots into our payments table, forward only (a status moves back only when
 * a refund fails, and known refunds decide the refunded amount): every payment is locked and read
 * once, new ones inserted together and changed ones written by one conditional statement, each
 * with an audit row. Safe to run any number of times.
 */
export async function mergePayments(
  repos: Repos,
  merges: PaymentMerge[],
  actor: string,
): Promise<{ outcomes: Map<number, PaymentOutcome> }> {
  if (merges.length === 0) return { outcomes: new Map() };
  const ids = [...new Set(merges.map((m) => m.payment.id))].sort();
  const stored = await repos.billing.lockPaymentsByRazorpayIds(ids);
  const refunds = planRefunds(await repos.billing.lockRefundsOfPayments(ids), merges);
  const planned = plan(stored, merges, refunds);
  const inserted = await repos.billing.insertPayments(planned.inserts);
  for (const row of inserted) planned.state.set(row.razorpay_payment_id, row);
  const lost = new Set(planned.inserts.map((v) => v.razorpay_payment_id));
  for (const row of inserted) lost.delete(row.razorpay_payment_id);
  if (lost.size > 0) {
    // Another transaction inserted these first; their rows are committed now, so merge into them
    // (unless it stored refunds of them too: those were not counted, so the batch is retried).
    if ((await repos.billing.lockRefundsOfPayments([...lost])).length > 0) {
      throw new AppError('conflict', 'a refunded payment was stored concurrently; retrying');
    }
    const again = plan(
      await repos.billing.lockPaymentsByRazorpayIds([...lost]),
      merges.filter((m) => lost.has(m.payment.id)),
      refunds,
    );
    if (again.inserts.length > 0)
      throw new Error(`payment ${again.inserts[0]?.razorpay_payment_id} vanished`);
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
  const stateOf = (id: string) => present(planned.state.get(id), `our row of payment ${id}`);
  await writePlannedRefunds(repos, refunds, (id) => stateOf(id).payment_id, actor);
  const outcomes = new Map<number, PaymentOutcome>();
  for (const m of merges) {
    const row = stateOf(m.payment.id);
    const changed = (planned.changed.get(m.index) ?? false) || (refunds.changed.get(m.index) ?? false);
    outcomes.set(m.index, { kind: 'payment', id: row.payment_id, status: row.status, changed });
  }
  return { outcomes };
}

// Applies the merges in order to the stored rows (or to a new row) in memory, then counts each
// payment's known refunds.
function plan(stored: Payment[], merges: PaymentMerge[], refunds: PlannedRefunds): Planned {
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
  for (const [id, row] of state) state.set(id, settled(row, refundsOf(refunds, id)));
  const writes = [...before].flatMap(([id, row]) => {
    const next = present(state.get(id), `our row of payment ${id}`);
    return changedKeys(row, next).length > 0
      ? [{ id: row.payment_id, expectedStatus: row.status, row: next }]
      : [];
  });
  const inserts = [...fresh].sort().map((id) => state.get(id) as unknown as NewPayment);
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

// Known refunds decide the refunded amount (failed ones gave the money back); without any, the
// payment's own figures stand.
function settled(row: Payment, refunds: RefundRow[]): Payment {
  if (refunds.length === 0) return row;
  const { status, amountRefunded } = settleRefunds(
    { status: row.status, amount: row.amount, amountRefunded: row.amount_refunded },
    refunds,
  );
  const times = refunds
    .filter((r) => r.status !== 'failed')
    .map((r) => r.created_at.getTime())
    .sort((a, b) => a - b);
  return {
    ...row,
    status,
    amount_refunded: amountRefunded,
    refund_status: refundStatusFor(row.amount, amountRefunded),
    refunded_at: amountRefunded === 0 ? null : times[0] !== undefined ? new Date(times[0]) : row.refunded_at,
  };
}
