import { type Selectable, sql } from 'kysely';
import type { NotificationRequest } from '../../domain/notifications.ts';
import type { Executor } from './executor.ts';
import type { DeliveryChannel, DeliveryStatus, NotificationsTable } from './schema-notifications.ts';

/** One delivery in the outbox. */
export type Delivery = {
  id: string;
  requestKey: string;
  channel: DeliveryChannel;
  recipient: string;
  subject: string;
  body: string;
  unsubscribeUrl: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  claimedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

/** A public status update of an incident, as subscribers are told of it. */
export type PublicUpdate = {
  entryId: string;
  incidentId: string;
  title: string;
  status: string | null;
  message: string;
  at: Date;
};

/** A delivery to queue. */
export type NewDelivery = Pick<Delivery, 'channel' | 'recipient' | 'subject' | 'body' | 'unsubscribeUrl'>;

/** What happened to a claimed delivery. */
export type DeliveryOutcome =
  | { status: 'sent'; at: Date }
  | { status: 'pending'; nextAttemptAt: Date; error: string }
  | { status: 'failed'; error: string };

const INSERT_CHUNK = 1000;

const toDelivery = (row: Selectable<NotificationsTable>): Delivery => ({
  id: String(row.id),
  requestKey: row.request_key,
  channel: row.channel,
  recipient: row.recipient,
  subject: row.subject,
  body: row.body,
  unsubscribeUrl: row.unsubscribe_url,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  claimedAt: row.claimed_at,
  lastError: row.last_error,
  createdAt: row.created_at,
  sentAt: row.sent_at,
});

/** The outbox: requests once by key, deliveries once per channel and recipient, claimed and marked. */
export function createNotificationsRepo(db: Executor) {
  return {
    /** Stores a request unless its key exists; true when this call stored it. */
    async insertRequest(request: NotificationRequest, at: Date): Promise<boolean> {
      const row = await db
        .insertInto('notification_requests')
        .values({
          key: request.key,
          template: request.template,
          audience: JSON.stringify(request.audience),
          vars: JSON.stringify(request.vars),
          incident_id: request.incidentId ?? null,
          created_at: at,
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Which of these request keys are stored already. */
    async existingKeys(keys: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .selectFrom('notification_requests')
        .select('key')
        .where('key', 'in', keys)
        .execute();
      return new Set(rows.map((r) => r.key));
    },

    /** Queues deliveries of a request, skipping any channel and recipient it already has; returns how many are new. */
    async insertDeliveries(requestKey: string, deliveries: NewDelivery[], at: Date): Promise<number> {
      let inserted = 0;
      // Chunks keep each statement under PostgreSQL's 65,535 bind parameters (8 a row).
      for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
        const rows = await db
          .insertInto('notifications')
          .values(
            deliveries.slice(i, i + INSERT_CHUNK).map((d) => ({
              request_key: requestKey,
              channel: d.channel,
              recipient: d.recipient,
              subject: d.subject,
              body: d.body,
              unsubscribe_url: d.unsubscribeUrl,
              next_attempt_at: at,
              created_at: at,
            })),
          )
          .onConflict((oc) => oc.constraint('notifications_once').doNothing())
          .returning('id')
          .execute();
        inserted += rows.length;
      }
      return inserted;
    },

    /**
     * Claims up to `limit` due deliveries for this deliverer (status sending, one more attempt),
     * skipping rows another deliverer holds; commit the claim before sending.
     */
    async claimDue(now: Date, limit: number): Promise<Delivery[]> {
      const rows = await db
        .updateTable('notifications')
        .set({ status: 'sending', claimed_at: now, attempts: sql<number>`attempts + 1` })
        .where(
          'id',
          'in',
          db
            .selectFrom('notifications')
            .select('id')
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', now)
            .orderBy('next_attempt_at')
            .orderBy('id')
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .where('status', '=', 'pending')
        .returningAll()
        .execute();
      return rows.map(toDelivery).sort((a, b) => Number(a.id) - Number(b.id));
    },

    /** Records the outcome of a claimed delivery; false when it was no longer claimed. */
    async mark(id: string, outcome: DeliveryOutcome): Promise<boolean> {
      const changes =
        outcome.status === 'sent'
          ? { status: 'sent' as const, sent_at: outcome.at, last_error: null }
          : outcome.status === 'pending'
            ? {
                status: 'pending' as const,
                next_attempt_at: outcome.nextAttemptAt,
                last_error: outcome.error,
              }
            : { status: 'failed' as const, last_error: outcome.error };
      const row = await db
        .updateTable('notifications')
        .set({ ...changes, claimed_at: null })
        .where('id', '=', id)
        .where('status', '=', 'sending')
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Deliveries claimed before `before` and never marked become uncertain (never resent by themselves). */
    async expireClaims(before: Date): Promise<string[]> {
      const rows = await db
        .updateTable('notifications')
        .set({
          status: 'uncertain',
          last_error: 'its deliverer stopped between sending and marking; it may have gone out',
        })
        .where('status', '=', 'sending')
        .where('claimed_at', '<', before)
        .returning('id')
        .execute();
      return rows.map((r) => String(r.id));
    },

    /** One delivery, or undefined. */
    async find(id: string): Promise<Delivery | undefined> {
      const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toDelivery(row);
    },

    /** Deliveries newest first, optionally of one status. */
    async list(filter: { status?: DeliveryStatus | undefined; limit: number }): Promise<Delivery[]> {
      let query = db.selectFrom('notifications').selectAll();
      if (filter.status) query = query.where('status', '=', filter.status);
      const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map(toDelivery);
    },

    /** Puts a failed or uncertain delivery back in the queue, due now; undefined when it is neither. */
    async requeue(id: string, now: Date): Promise<Delivery | undefined> {
      const row = await db
        .updateTable('notifications')
        .set({ status: 'pending', next_attempt_at: now, claimed_at: null })
        .where('id', '=', id)
        .where('status', 'in', ['failed', 'uncertain'])
        .returningAll()
        .executeTakeFirst();
      return row && toDelivery(row);
    },

    /** Public timeline entries since a time, oldest first, with their incident's title. */
    async publicUpdatesSince(since: Date, limit: number): Promise<PublicUpdate[]> {
      const rows = await db
        .selectFrom('incident_timeline as t')
        .innerJoin('incidents as i', 'i.id', 't.incident_id')
        .select(['t.id', 't.incident_id', 'i.title', 't.status', 't.message', 't.at'])
        .where('t.public', '=', true)
        .where('t.at', '>=', since)
        .orderBy('t.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        entryId: String(r.id),
        incidentId: String(r.incident_id),
        title: r.title,
        status: r.status,
        message: r.message,
        at: r.at,
      }));
    },

    /**
     * Email addresses of users whose payments failed, or whose subscriptions went pending or
     * halted, between `from` and `to` (a payment incident's window).
     */
    async affectedUserEmails(from: Date, to: Date): Promise<string[]> {
      const rows = await db
        .selectFrom('user_profiles')
        .select('email')
        .where('disabled_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb.exists(
              eb
                .selectFrom('payments')
                .select(sql`1`.as('one'))
                .whereRef('payments.user_id', '=', 'user_profiles.user_id')
                .where('payments.status', '=', 'failed')
                .where(sql<Date>`coalesce(payments.failed_at, payments.updated_at)`, '>=', from)
                .where(sql<Date>`coalesce(payments.failed_at, payments.updated_at)`, '<=', to),
            ),
            eb.exists(
              eb
                .selectFrom('subscriptions')
                .select(sql`1`.as('one'))
                .whereRef('subscriptions.user_id', '=', 'user_profiles.user_id')
                .where('subscriptions.status', 'in', ['pending', 'halted'])
                .where('subscriptions.updated_at', '>=', from)
                .where('subscriptions.updated_at', '<=', to),
            ),
          ]),
        )
        .orderBy('email')
        .execute();
      return rows.map((r) => r.email.toLowerCase());
    },
  };
}

/** The outbox's queries. */
export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
