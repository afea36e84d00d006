import type { Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import {
  BillingAbort,
  type BillingSnapshot,
  type PaymentMerge,
  type SnapshotOutcome,
} from './billing-batch.ts';
import { mergePayments } from './merge-payments.ts';
import { mergeSubscriptions } from './merge-subscriptions.ts';
import { resolvePaymentLinks } from './payment-links.ts';
import { fromUnix } from './snapshot.ts';

/**
 * Merges Razorpay snapshots into subscriptions and payments through the billing state machine in
 * one transaction: each entity is locked and read once, its snapshots applied in order in memory
 * (forward only, stale ones ignored), and every changed row written by one conditional statement
 * with an audit row.
 * Safe to run any number of times; a snapshot that cannot be placed is re-fetched from Razorpay.
 */
export async function applyBillingSnapshots({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  /** `actor` names the source in the audit rows each change leaves (default `razorpay-sync`). */
  input: { snapshots: BillingSnapshot[]; actor?: string };
}): Promise<Result<SnapshotOutcome[]>> {
  const { snapshots, actor = 'razorpay-sync' } = input;
  if (snapshots.length === 0) return { ok: true, value: [] };
  const links = await resolvePaymentLinks(ctx, snapshots);
  if (!links.ok) return links;
  try {
    const outcomes = await ctx.transaction(async (repos) => {
      const subscriptions = await mergeSubscriptions(ctx, repos, snapshots, [...links.value.values()], actor);
      const merges: PaymentMerge[] = [];
      snapshots.forEach((snap, index) => {
        if (snap.kind === 'subscription') {
          if (!snap.payment) return;
          const row = subscriptions.rows.get(snap.subscription.id)!;
          merges.push({
            index,
            payment: snap.payment,
            eventAt: snap.eventAt,
            link: { subscription_id: row.subscription_id, user_id: row.user_id },
            period: {
              start: fromUnix(snap.subscription.current_start),
              end: fromUnix(snap.subscription.current_end),
            },
          });
          return;
        }
        const linked = links.value.get(snap.payment.id);
        const row = linked ? subscriptions.rows.get(linked) : undefined;
        merges.push({
          index,
          payment: snap.payment,
          refund: snap.refund,
          eventAt: snap.eventAt,
          link: row ? { subscription_id: row.subscription_id, user_id: row.user_id } : undefined,
        });
      });
      const payments = await mergePayments(repos, merges, actor);
      return snapshots.map((snap, index): SnapshotOutcome => {
        const paid = payments.outcomes.get(index);
        if (snap.kind === 'payment') return paid!;
        const sub = subscriptions.outcomes.get(index)!;
        return { ...sub, changed: sub.changed || (paid?.changed ?? false) };
      });
    });
    return { ok: true, value: outcomes };
  } catch (error) {
    if (error instanceof BillingAbort) return { ok: false, error: error.appError };
    throw error;
  }
}
