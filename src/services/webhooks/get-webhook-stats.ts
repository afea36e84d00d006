import { INBOX_STATUSES, type InboxStatus } from '../../domain/inbox-retry.ts';
import { parseSince } from '../../domain/since.ts';
import type { ServiceContext } from '../context.ts';

/** One event type's counts per status in the window. */
export type TypeCounts = { type: string; total: number } & Record<InboxStatus, number>;

const zero = (): Record<InboxStatus, number> =>
  Object.fromEntries(INBOX_STATUSES.map((s) => [s, 0])) as Record<InboxStatus, number>;

/**
 * `polaris webhooks stats`: counts by type × status of the events received in the window, the
 * failure rate (failed among the settled ones), the receipt-to-processed lag p50/p99 (computed in
 * SQL), and the oldest event still waiting, whenever it arrived.
 */
export async function getWebhookStats({ ctx, input }: { ctx: ServiceContext; input: { since: string } }) {
  const now = ctx.now();
  const since = parseSince(input.since, now);
  const ops = ctx.repos.webhookOps;
  const counts = await ops.countsByTypeAndStatus(since);
  const lag = await ops.processingLag(since);
  const oldest = await ops.oldestPending();
  const byType = new Map<string, TypeCounts>();
  const totals: TypeCounts = { type: 'all', total: 0, ...zero() };
  for (const { type, status, count } of counts) {
    const row = byType.get(type) ?? { type, total: 0, ...zero() };
    row[status] += count;
    row.total += count;
    totals[status] += count;
    totals.total += count;
    byType.set(type, row);
  }
  const settled = totals.processed + totals.failed + totals.skipped;
  const receivedAt = oldest ? new Date(oldest.created_at) : null;
  return {
    since,
    types: [...byType.values()],
    totals,
    failureRate: settled === 0 ? null : totals.failed / settled,
    lagSeconds: lag,
    oldestPending:
      oldest && receivedAt
        ? {
            eventId: oldest.event_id,
            type: oldest.event_type,
            receivedAt,
            ageSeconds: Math.max(0, Math.round((now.getTime() - receivedAt.getTime()) / 1000)),
          }
        : null,
  };
}

/** What `getWebhookStats` returns. */
export type WebhookStats = Awaited<ReturnType<typeof getWebhookStats>>;
