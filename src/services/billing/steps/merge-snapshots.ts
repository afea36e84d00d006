import type { Repos } from '../../../adapters/db/repos.ts';
import type { ServiceContext } from '../../context.ts';
import { mergePayments } from './merge-payments.ts';
import { mergeSubscriptions } from './merge-subscriptions.ts';
import { fromUnix } from './row-columns.ts';
import type { BillingSnapshot, PaymentMerge, SnapshotOutcome } from './snapshot-types.ts';

/**
 * The body of one billing transaction, on the repos of the transaction the caller opened: merges
 * the subscriptions, then the payments (linked through `links`, payment id → Razorpay
 * subscription id), and reports each snapshot's outcome in order. Throws AppError to roll back.
 */
export async function mergeSnapshots(
  ctx: Pick<ServiceContext, 'gateway' | 'log'>,
  repos: Repos,
  input: { snapshots: BillingSnapshot[]; links: Map<string, string>; actor: string },
): Promise<SnapshotOutcome[]> {
  const { snapshots, links, actor } = input;
  const subscriptions = await mergeSubscriptions(ctx, repos, snapshots, [...links.values()], actor);
  const merges: PaymentMerge[] = [];
  snapshots.forEach((snap, index) => {
    if (snap.kind === 'subscription') {
      if (!snap.payment) return;
      const row = subscriptions.rows.get(snap.subscription.id);
      if (!row) throw new Error(`subscription ${snap.subscription.id} left the merge`);
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
    const linked = links.get(snap.payment.id);
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
    const sub = snap.kind === 'subscription' ? subscriptions.outcomes.get(index) : undefined;
    if (sub) return { ...sub, changed: sub.changed || (paid?.changed ?? false) };
    if (!paid) throw new Error(`snapshot ${index} has no outcome`);
    return paid;
  });
}
