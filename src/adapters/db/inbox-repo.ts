import { type Insertable, type Kysely, sql } from 'kysely';
import type { Executor } from './executor.ts';
import { inboxBatcherFor } from './inbox-batcher.ts';
import type { Database, RazorpayWebhookEventsTable } from './schema.ts';

/** An inbox row as the processor sees it. */
export type InboxEvent = {
  id: string;
  event_id: string;
  event_type: string;
  payload: string;
  attempts: number;
};

/** Queries for the webhook inbox (razorpay_webhook_events). */
export function createInboxRepo(db: Executor) {
  return {
    /** Stores an event once per event id; false when that id was already stored. */
    async insertEvent(values: Insertable<RazorpayWebhookEventsTable>): Promise<boolean> {
      if (!db.isTransaction) return inboxBatcherFor(db as Kysely<Database>).insert(values);
      const row = await db
        .insertInto('razorpay_webhook_events')
        .values(values)
        .onConflict((oc) => oc.column('event_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Claims up to `limit` due events (pending, or processing whose lease ran out) with
     * FOR UPDATE SKIP LOCKED, so concurrent workers never take the same one; each claim counts
     * as an attempt and holds a lease of `leaseSeconds`.
     */
    async claimDue(limit: number, leaseSeconds: number): Promise<InboxEvent[]> {
      const result = await sql<InboxEvent>`
        UPDATE razorpay_webhook_events e
        SET processing_status = 'processing',
            attempts = e.attempts + 1,
            next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
        WHERE e.id IN (
          SELECT id FROM razorpay_webhook_events
          WHERE processing_status IN ('pending', 'processing') AND next_attempt_at <= now()
          ORDER BY next_attempt_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING e.id::text AS id, e.event_id, e.event_type, e.payload, e.attempts`.execute(db);
      return result.rows;
    },

    /** Renews the lease of claims still held (same attempt, still processing); returns how many. */
    async extendLease(events: { id: string; attempts: number }[], leaseSeconds: number): Promise<number> {
      if (events.length === 0) return 0;
      const result = await sql<{ id: string }>`
        UPDATE razorpay_webhook_events e
        SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
        FROM (SELECT unnest(${events.map((e) => e.id)}::bigint[]) AS id,
                     unnest(${events.map((e) => e.attempts)}::int[]) AS attempts) claimed
        WHERE e.id = claimed.id AND e.attempts = claimed.attempts AND e.processing_status = 'processing'
        RETURNING e.id`.execute(db);
      return result.rows.length;
    },

    /** Marks a whole claimed batch processed; the count tells whether every claim still held. */
    async markAllProcessed(events: { id: string; attempts: number }[]): Promise<number> {
      if (events.length === 0) return 0;
      const result = await sql<{ event_id: string }>`
        UPDATE razorpay_webhook_events e
        SET processing_status = 'processed', processed_at = now(), error_message = NULL
        FROM (SELECT unnest(${events.map((e) => e.id)}::bigint[]) AS id,
                     unnest(${events.map((e) => e.attempts)}::int[]) AS attempts) claimed
        WHERE e.id = claimed.id AND e.attempts = claimed.attempts AND e.processing_status = 'processing'
        RETURNING e.event_id`.execute(db);
      return result.rows.length;
    },

    /** Records a failed attempt of a claimed event: back to pending after a delay, parked as failed, or skipped. */
    async markAttempt(
      id: string,
      attempts: number,
      outcome:
        | { status: 'pending'; retryInMs: number; error: string }
        | { status: 'failed' | 'skipped'; error: string },
    ): Promise<void> {
      const delaySeconds = outcome.status === 'pending' ? outcome.retryInMs / 1000 : 0;
      await db
        .updateTable('razorpay_webhook_events')
        .set({
          processing_status: outcome.status,
          error_message: outcome.error.slice(0, 1000),
          next_attempt_at: sql`now() + make_interval(secs => ${delaySeconds})`,
          processed_at: outcome.status === 'pending' ? null : sql`now()`,
        })
        .where(sql`id`, '=', id)
        .where('processing_status', '=', 'processing')
        .where('attempts', '=', attempts)
        .execute();
    },

    /** Counts the GET endpoint reports: last receipt, backlog, and parked failures. */
    async summary(): Promise<{ lastReceivedAt: Date | null; pending: number; failed: number }> {
      const row = await db
        .selectFrom('razorpay_webhook_events')
        .select([
          sql<Date | null>`max(created_at)`.as('last'),
          sql<string>`count(*) FILTER (WHERE processing_status IN ('pending', 'processing'))`.as('pending'),
          sql<string>`count(*) FILTER (WHERE processing_status = 'failed')`.as('failed'),
        ])
        .executeTakeFirstOrThrow();
      return { lastReceivedAt: row.last, pending: Number(row.pending), failed: Number(row.failed) };
    },

    /** One stored event by its Razorpay event id. */
    async findByEventId(eventId: string) {
      return db
        .selectFrom('razorpay_webhook_events')
        .selectAll()
        .where('event_id', '=', eventId)
        .executeTakeFirst();
    },
  };
}

/** The inbox repository's queries. */
export type InboxRepo = ReturnType<typeof createInboxRepo>;
