import { sql } from 'kysely';
import type { WindowFigures } from '../../domain/incident-report.ts';
import type { Executor } from './executor.ts';

/** A half-open time window [from, to). */
export type Window = { from: Date; to: Date };

/** Audit actions in a window, counted by action. */
export type ActionCount = { action: string; count: number };

// Payment and refund times come from Razorpay's entities, subscription changes from the last
// event applied (or our own update), inbox events from Razorpay's created_at when known.
const failedPayment = (w: Window) =>
  sql`p.status = 'failed' AND p.failed_at >= ${w.from} AND p.failed_at < ${w.to}`;
const changedSubscription = (w: Window) =>
  sql`((s.last_event_at >= ${w.from} AND s.last_event_at < ${w.to})
    OR (s.updated_at >= ${w.from} AND s.updated_at < ${w.to}))`;

/** Read-only queries behind incident reports and the monthly review. */
export function createReportsRepo(db: Executor) {
  return {
    /** Users, money (INR paise) and webhook events touched in the window. */
    async impact(w: Window): Promise<WindowFigures> {
      const { rows } = await sql<{
        users: number;
        failed_users: number;
        changed_users: number;
        failed_count: number;
        failed_paise: string;
        refund_count: number;
        refund_paise: string;
        inbox_failed: number;
        inbox_pending: number;
      }>`WITH failed AS (
          SELECT p.user_id FROM payments p WHERE ${failedPayment(w)} AND p.user_id IS NOT NULL),
        changed AS (SELECT s.user_id FROM subscriptions s WHERE ${changedSubscription(w)}),
        events AS (SELECT processing_status FROM razorpay_webhook_events
          WHERE coalesce(event_created_at, created_at) >= ${w.from}
            AND coalesce(event_created_at, created_at) < ${w.to})
        SELECT
          (SELECT count(*) FROM (SELECT user_id FROM failed UNION SELECT user_id FROM changed) u)::int AS users,
          (SELECT count(DISTINCT user_id) FROM failed)::int AS failed_users,
          (SELECT count(DISTINCT user_id) FROM changed)::int AS changed_users,
          (SELECT count(*) FROM payments p WHERE ${failedPayment(w)} AND p.currency = 'INR')::int AS failed_count,
          (SELECT coalesce(sum(p.amount), 0) FROM payments p
            WHERE ${failedPayment(w)} AND p.currency = 'INR')::text AS failed_paise,
          (SELECT count(*) FROM refunds r WHERE r.status <> 'failed' AND r.currency = 'INR'
            AND r.created_at >= ${w.from} AND r.created_at < ${w.to})::int AS refund_count,
          (SELECT coalesce(sum(r.amount), 0) FROM refunds r WHERE r.status <> 'failed' AND r.currency = 'INR'
            AND r.created_at >= ${w.from} AND r.created_at < ${w.to})::text AS refund_paise,
          (SELECT count(*) FROM events WHERE processing_status = 'failed')::int AS inbox_failed,
          (SELECT count(*) FROM events WHERE processing_status IN ('pending', 'processing'))::int AS inbox_pending
      `.execute(db);
      const r = rows[0];
      if (!r) throw new Error('impact query returned no row');
      return {
        usersAffected: r.users,
        usersWithFailedPayments: r.failed_users,
        usersWithChangedSubscriptions: r.changed_users,
        failedPayments: { count: r.failed_count, paise: Number(r.failed_paise) },
        refunds: { count: r.refund_count, paise: Number(r.refund_paise) },
        inbox: { failed: r.inbox_failed, pending: r.inbox_pending },
      };
    },

    /** audit_log rows in the window whose action is one of `actions` (exactly) or in a family (`secrets.`). */
    async actionCounts(w: Window, actions: readonly string[]): Promise<ActionCount[]> {
      if (actions.length === 0) return [];
      const rows = await db
        .selectFrom('audit_log')
        .select(['action', sql<number>`count(*)::int`.as('count')])
        .where('created_at', '>=', w.from)
        .where('created_at', '<', w.to)
        .where((eb) =>
          eb.or(actions.map((a) => (a.endsWith('.') ? eb('action', 'like', `${a}%`) : eb('action', '=', a)))),
        )
        .groupBy('action')
        .orderBy('action')
        .execute();
      return rows;
    },

    /** The audit rows of the given actions in the window, oldest first. */
    async actions(w: Window, actions: readonly string[], limit: number) {
      return db
        .selectFrom('audit_log')
        .select(['created_at as at', 'actor', 'action', 'target', 'details'])
        .where('created_at', '>=', w.from)
        .where('created_at', '<', w.to)
        .where('action', 'in', [...actions])
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The last audit row of an action before `before`, if any. */
    async lastAction(action: string, before: Date) {
      return db
        .selectFrom('audit_log')
        .select(['created_at as at', 'actor', 'action', 'target', 'details'])
        .where('action', '=', action)
        .where('created_at', '<', before)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
    },

    /** Incident ids detected in the window, oldest first. */
    async incidentIdsDetected(w: Window): Promise<string[]> {
      const rows = await db
        .selectFrom('incidents')
        .select('id')
        .where('detected_at', '>=', w.from)
        .where('detected_at', '<', w.to)
        .orderBy('detected_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => String(r.id));
    },

    /** How many of these Razorpay subscriptions we hold in each status (`missing` for the ones we lack). */
    async subscriptionStatuses(razorpayIds: string[]): Promise<Record<string, number>> {
      if (razorpayIds.length === 0) return {};
      const rows = await db
        .selectFrom('subscriptions')
        .select(['status', sql<number>`count(*)::int`.as('count')])
        .where('razorpay_subscription_id', 'in', razorpayIds)
        .groupBy('status')
        .execute();
      const out: Record<string, number> = Object.fromEntries(rows.map((r) => [r.status, r.count]));
      const missing = razorpayIds.length - rows.reduce((n, r) => n + r.count, 0);
      if (missing > 0) out.missing = missing;
      return out;
    },

    /** Backup drills started in the window, oldest first. */
    async drills(w: Window) {
      return db
        .selectFrom('drills')
        .selectAll()
        .where('started_at', '>=', w.from)
        .where('started_at', '<', w.to)
        .orderBy('started_at')
        .orderBy('id')
        .execute();
    },
  };
}

/** The reports repository's queries. */
export type ReportsRepo = ReturnType<typeof createReportsRepo>;
