import { sql } from 'kysely';
import type { Executor } from './executor.ts';

/** The webhook inbox's backlog as a scrape sees it; ages in seconds by the database's clock. */
export type InboxBacklog = { pending: number; oldestPendingSeconds: number; lagSeconds: number };

/** Payments that reached a final outcome since a moment. */
export type PaymentOutcomes = { captured: number; failed: number };

/** The scrape-time reads of GET /metrics. */
export function createMetricsRepo(db: Executor) {
  return {
    /**
     * Events not yet applied (pending, or claimed and in flight), the age of the oldest, and the
     * age of the oldest that is due now: how far behind processing runs (0 when caught up).
     */
    async inboxBacklog(): Promise<InboxBacklog> {
      const row = await db
        .selectFrom('razorpay_webhook_events')
        .where('processing_status', 'in', ['pending', 'processing'])
        .select([
          sql<string>`count(*)`.as('pending'),
          sql<string | null>`extract(epoch FROM now() - min(created_at))`.as('oldest'),
          sql<
            string | null
          >`extract(epoch FROM now() - min(created_at) FILTER (WHERE next_attempt_at <= now()))`.as('lag'),
        ])
        .executeTakeFirstOrThrow();
      const seconds = (v: string | null) => Math.max(0, Number(v ?? 0));
      return {
        pending: Number(row.pending),
        oldestPendingSeconds: seconds(row.oldest),
        lagSeconds: seconds(row.lag),
      };
    },

    /**
     * Payments captured (refunded ones included) and failed at or after `since` (Razorpay's times):
     * two counts, each a range of its own partial index (payments_captured_at_idx,
     * payments_failed_at_idx), so a scrape reads only the window's rows.
     */
    async paymentOutcomes(since: Date): Promise<PaymentOutcomes> {
      const row = await db
        .selectNoFrom((eb) => [
          eb
            .selectFrom('payments')
            .select(sql<string>`count(*)`.as('n'))
            .where('captured_at', '>=', since)
            .as('captured'),
          eb
            .selectFrom('payments')
            .select(sql<string>`count(*)`.as('n'))
            .where('failed_at', '>=', since)
            .as('failed'),
        ])
        .executeTakeFirstOrThrow();
      return { captured: Number(row.captured), failed: Number(row.failed) };
    },
  };
}

/** The metrics repository's queries. */
export type MetricsRepo = ReturnType<typeof createMetricsRepo>;
