import { sql } from 'kysely';
import type { Severity } from '../../domain/incidents.ts';
import type { Executor } from './executor.ts';

/** One rule's stored verdict. */
export type AlertState = {
  ruleKey: string;
  firing: boolean;
  severity: Severity | null;
  value: string;
  firingSince: Date | null;
  clearSince: Date | null;
  evaluatedAt: Date;
};

type StateRow = {
  rule_key: string;
  firing: boolean;
  severity: Severity | null;
  value: string;
  firing_since: Date | null;
  clear_since: Date | null;
  evaluated_at: Date;
};

const toState = (r: StateRow): AlertState => ({
  ruleKey: r.rule_key,
  firing: r.firing,
  severity: r.severity,
  value: r.value,
  firingSince: r.firing_since,
  clearSince: r.clear_since,
  evaluatedAt: r.evaluated_at,
});

const n = (v: string | number | bigint | null | undefined) => Number(v ?? 0);

/**
 * The alert rules' reads (each an index range over a few minutes of rows, so cheap every few
 * seconds) and their stored verdicts.
 */
export function createAlertsRepo(db: Executor) {
  return {
    /** Payments Razorpay created since `since` that reached an outcome, and how many failed (payments_created_at_idx). */
    async paymentAttempts(
      since: Date,
    ): Promise<{ attempts: number; failed: number; firstFailedAt: Date | null }> {
      const row = await db
        .selectFrom('payments')
        .where('created_at', '>=', since)
        .select([
          sql<string>`count(*) FILTER (WHERE status IN ('authorized', 'captured', 'refunded', 'failed'))`.as(
            'attempts',
          ),
          sql<string>`count(*) FILTER (WHERE status = 'failed')`.as('failed'),
          sql<Date | null>`min(created_at) FILTER (WHERE status = 'failed')`.as('first_failed_at'),
        ])
        .executeTakeFirstOrThrow();
      return { attempts: n(row.attempts), failed: n(row.failed), firstFailedAt: row.first_failed_at };
    },

    /** The statuses of the last `limit` requests to one path and method since `since`, newest first (request_logs_path_timestamp_idx). */
    async lastStatuses(path: string, method: string, since: Date, limit: number): Promise<number[]> {
      const rows = await db
        .selectFrom('request_logs')
        .select('status')
        .where('path', '=', path)
        .where('timestamp', '>=', since)
        .where('method', '=', method)
        .orderBy('timestamp', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.status);
    },

    /** Requests to one path answered with `status` since `since` (request_logs_path_timestamp_idx). */
    async countStatus(path: string, status: number, since: Date): Promise<number> {
      const row = await db
        .selectFrom('request_logs')
        .select(sql<string>`count(*)`.as('n'))
        .where('path', '=', path)
        .where('timestamp', '>=', since)
        .where('status', '=', status)
        .executeTakeFirstOrThrow();
      return n(row.n);
    },

    /**
     * Webhook events stored since `since` whose last attempt is known (processed, parked, or
     * retrying after an error), how many of those failed, and the newest `last` outcomes.
     */
    async webhookOutcomes(
      since: Date,
      last: number,
    ): Promise<{ recent: number; failed: number; lastOutcomes: ('ok' | 'failed')[] }> {
      const failedSql = sql<boolean>`(processing_status = 'failed' OR (processing_status IN ('pending', 'processing') AND error_message IS NOT NULL))`;
      const counts = await db
        .selectFrom('razorpay_webhook_events')
        .where('created_at', '>=', since)
        .select([
          sql<string>`count(*) FILTER (WHERE processing_status = 'processed' OR ${failedSql})`.as('recent'),
          sql<string>`count(*) FILTER (WHERE ${failedSql})`.as('failed'),
        ])
        .executeTakeFirstOrThrow();
      const rows = await db
        .selectFrom('razorpay_webhook_events')
        .select(sql<boolean>`${failedSql}`.as('failed'))
        .where('created_at', '>=', since)
        .where((eb) => eb.or([eb('processing_status', '=', 'processed'), failedSql]))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(last)
        .execute();
      return {
        recent: n(counts.recent),
        failed: n(counts.failed),
        lastOutcomes: rows.map((r) => (r.failed ? 'failed' : 'ok')),
      };
    },

    /** Events not yet applied and when the oldest arrived (razorpay_webhook_events_due_idx covers the filter). */
    async pendingWebhooks(): Promise<{ pending: number; oldest: Date | null }> {
      const row = await db
        .selectFrom('razorpay_webhook_events')
        .where('processing_status', 'in', ['pending', 'processing'])
        .select([sql<string>`count(*)`.as('pending'), sql<Date | null>`min(created_at)`.as('oldest')])
        .executeTakeFirstOrThrow();
      return { pending: n(row.pending), oldest: row.oldest ? new Date(row.oldest) : null };
    },

    /** Unresolved incidents other than the one a rule opened (incidents_open_idx). */
    async openIncidentsExcept(ruleKey: string): Promise<number> {
      const row = await db
        .selectFrom('incidents')
        .select(sql<string>`count(*)`.as('n'))
        .where('status', '<>', 'resolved')
        .where((eb) => eb.or([eb('rule_key', 'is', null), eb('rule_key', '<>', ruleKey)]))
        .executeTakeFirstOrThrow();
      return n(row.n);
    },

    /** Every rule's stored verdict. */
    async states(): Promise<AlertState[]> {
      const rows = await db.selectFrom('alert_states').selectAll().orderBy('rule_key').execute();
      return rows.map(toState);
    },

    /** One rule's verdict, locked until the transaction ends (created clear when missing). */
    async lockState(ruleKey: string, now: Date): Promise<AlertState> {
      await db
        .insertInto('alert_states')
        .values({ rule_key: ruleKey, evaluated_at: now })
        .onConflict((oc) => oc.column('rule_key').doNothing())
        .execute();
      const row = await db
        .selectFrom('alert_states')
        .selectAll()
        .where('rule_key', '=', ruleKey)
        .forUpdate()
        .executeTakeFirstOrThrow();
      return toState(row);
    },

    /** Stores a rule's verdict. */
    async saveState(state: AlertState): Promise<void> {
      await db
        .updateTable('alert_states')
        .set({
          firing: state.firing,
          severity: state.severity,
          value: state.value.slice(0, 500),
          firing_since: state.firingSince,
          clear_since: state.clearSince,
          evaluated_at: state.evaluatedAt,
        })
        .where('rule_key', '=', state.ruleKey)
        .execute();
    },
  };
}

/** The alerts repository's queries. */
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
