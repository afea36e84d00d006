import type { ServiceContext } from '../context.ts';
import { mergeSnapshots } from './steps/merge-snapshots.ts';
import { resolvePaymentLinks } from './steps/payment-links.ts';
import type { BillingSnapshot, SnapshotOutcome } from './steps/snapshot-types.ts';

/**
 * Merges Razorpay snapshots into subscriptions and payments through the billing state machine in
 * one transaction: each entity is locked and read once, its snapshots applied in order in memory
 * (forward only, stale ones ignored), and every changed row written by one conditional statement
 * with an audit row. Safe to run any number of times; a snapshot that cannot be placed is
 * re-fetched from Razorpay. Throws AppError, having written nothing, when the batch cannot apply.
 */
export async function applyBillingSnapshots({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  /** `actor` names the source in the audit rows each change leaves (default `razorpay-sync`). */
  input: { snapshots: BillingSnapshot[]; actor?: string };
}): Promise<SnapshotOutcome[]> {
  const { snapshots, actor = 'razorpay-sync' } = input;
  if (snapshots.length === 0) return [];
  const links = await resolvePaymentLinks(ctx, snapshots);
  return ctx.transaction((repos) => mergeSnapshots(ctx, repos, { snapshots, links, actor }));
}
