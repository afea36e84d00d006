import { sql } from 'kysely';
import type { InboxStatus } from '../../domain/inbox-retry.ts';
import type { Executor } from './executor.ts';

/** Which inbox events an operator asks for: statuses, an event type or family, received since. */
export type WebhookEventFilter = {
  statuses?: InboxStatus[] | undefined;
  /** An exact type (`payment.captured`) or a family (`payment`); callers pass only [a-z_.]. */
  type?: string | undefined;
  since?: Date | undefined;
};

/** Where one event stands now, as retry watches it. */
export type WebhookEventState = {
  id: string;
  event_id: string;
  event_type: string;
  processing_status: InboxStatus;
  attempts: number;
  error_message: string | null;
  created_at: Date;
  next_attempt_at: Date;
  processed_at: Date | null;
  /** True when the event waits for a claim now (pending and due, or a lease that ran out). */
  due: boolean;
};

const STATE_COLUMNS = sql`id::text AS id, event_id, event_type, processing_status, attempts, error_message,
  created_at, next_attempt_at, processed_at,
  (processing_status IN ('pending', 'processing') AND next_attempt_at <= now()) AS due`;

/** Operator queries on the webhook inbox: listing, one event, statistics, and putting events back. */
export function createWebhookOpsRepo(db: Executor) {
  const filtered = (filter: WebhookEventFilter) => {
    let query = db.selectFrom('razorpay_webhook_events');
    if (filter.statuses && filter.statuses.length > 0) {
      query = query.where('processing_status', 'in', filter.statuses);
    }
    const type = filter.type;
    if (type !== undefined) {
      query = query.where((eb) =>
        eb.or([eb('event_type', '=', type), eb('event_type', 'like', `${type}.%`)]),
      );
    }
    if (filter.since) query = query.where('created_at', '>', filter.since);
    return query;
  };

  return {
    /** The matching events, newest first, and how many match in all. */
    async list(filter: WebhookEventFilter, limit: number) {
      const rows = await filtered(filter)
        .select([
          'event_id',
          'event_type',
          'entity_id',
          'processing_status',
          'attempts',
          'error_message',
          'created_at',
          'processed_at',
        ])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      const total = await filtered(filter).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return { rows, total: Number(total.n) };
    },

    /** The operator retries (audit rows `webhook.retry`) that put this event back, oldest first. */
    async retriesOf(eventId: string) {
      return db
        .selectFrom('audit_log')
        .select(['created_at as at', 'actor', 'reason'])
        .where('action', '=', 'webhook.retry')
        .where(sql<boolean>`details -> 'eventIds' @> ${JSON.stringify([eventId])}::jsonb`)
        .orderBy('id')
        .execute();
    },

    /** Where each named event stands now (unknown ids are simply absent), oldest first. */
    async states(eventIds: string[]): Promise<WebhookEventState[]> {
      if (eventIds.length === 0) return [];
      const result = await sql<WebhookEventState>`
        SELECT ${STATE_COLUMNS} FROM razorpay_webhook_events
        WHERE event_id = ANY(${eventIds}::text[])
        ORDER BY created_at, id`.execute(db);
      return result.rows;
    },

    /** The failed events received since a time, oldest first. */
    async failedSince(since: Date | undefined): Promise<WebhookEventState[]> {
      const result = await sql<WebhookEventState>`
        SELECT ${STATE_COLUMNS} FROM razorpay_webhook_events
        WHERE processing_status = 'failed' AND created_at > ${since ?? new Date(0)}
        ORDER BY created_at, id`.execute(db);
      return result.rows;
    },

    /**
     * Makes events due again for the one processor, if they still have a status in `from`: pending,
     * with their receipt time as due time, so workers claim them oldest first. Returns their ids.
     */
    async requeue(eventIds: string[], from: InboxStatus[]): Promise<string[]> {
      if (eventIds.length === 0) return [];
      const result = await sql<{ event_id: string }>`
        UPDATE razorpay_webhook_events
        SET processing_status = 'pending', next_attempt_at = created_at, processed_at = NULL
        WHERE event_id = ANY(${eventIds}::text[]) AND processing_status = ANY(${from}::text[])
        RETURNING event_id`.execute(db);
      return result.rows.map((r) => r.event_id);
    },

    /** Counts by event type and status of the events received since a time. */
    async countsByTypeAndStatus(since: Date) {
      const rows = await db
        .selectFrom('razorpay_webhook_events')
        .select(['event_type', 'processing_status', sql<string>`count(*)`.as('n')])
        .where('created_at', '>', since)
        .groupBy(['event_type', 'processing_status'])
        .orderBy('event_type')
        .orderBy('processing_status')
        .execute();
      return rows.map((r) => ({ type: r.event_type, status: r.processing_status, count: Number(r.n) }));
    },

    /** Receipt-to-processed lag of the events processed since a time: p50 and p99 in seconds. */
    async processingLag(since: Date): Promise<{ processed: number; p50: number | null; p99: number | null }> {
      const row = await sql<{ n: string; p50: number | string | null; p99: number | string | null }>`
        SELECT count(*) AS n,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - created_at)) AS p50,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - created_at)) AS p99
        FROM razorpay_webhook_events
        WHERE processing_status = 'processed' AND processed_at IS NOT NULL AND created_at > ${since}`.execute(
        db,
      );
      const r = row.rows[0];
      const num = (v: number | string | null | undefined) =>
        v === null || v === undefined ? null : Number(v);
      return { processed: Number(r?.n ?? 0), p50: num(r?.p50), p99: num(r?.p99) };
    },

    /** The oldest event still waiting to be applied (pending or processing), whenever received. */
    async oldestPending() {
      return db
        .selectFrom('razorpay_webhook_events')
        .select(['event_id', 'event_type', 'created_at'])
        .where('processing_status', 'in', ['pending', 'processing'])
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
    },
  };
}

/** The operator queries on the webhook inbox. */
export type WebhookOpsRepo = ReturnType<typeof createWebhookOpsRepo>;
