import { sql } from 'kysely';
import type { RequestLogEntry } from '../../domain/request-log.ts';
import type { Executor } from './executor.ts';

/** Who and where a request-log query looks: a time window, optionally one user or address. */
export type RequestLogFilter = { since: Date; userId?: string | undefined; ip?: string | undefined };

const MAX_TEXT = 512;
const cap = (text: string | null) => (text === null ? null : text.slice(0, MAX_TEXT));

/** request_logs: batched inserts, batched pruning, and the security queries over it. */
export function createRequestLogsRepo(db: Executor) {
  const scoped = (filter: RequestLogFilter) => {
    let query = db.selectFrom('request_logs').where('request_logs.timestamp', '>', filter.since);
    if (filter.userId !== undefined) query = query.where('request_logs.user_id', '=', filter.userId);
    if (filter.ip !== undefined) query = query.where('request_logs.ip', '=', filter.ip);
    return query;
  };
  return {
    /** Inserts the entries in one multi-row statement (none for an empty list). */
    async insertMany(entries: readonly RequestLogEntry[]): Promise<void> {
      if (entries.length === 0) return;
      await db
        .insertInto('request_logs')
        .values(
          entries.map((e) => ({
            user_id: e.userId,
            method: e.method.slice(0, 16),
            path: cap(e.path) ?? '',
            status: e.status,
            ip: cap(e.ip),
            user_agent: cap(e.userAgent),
            duration_ms: Math.max(0, Math.round(e.durationMs)),
            request_id: e.requestId,
            timestamp: e.at,
          })),
        )
        .execute();
    },

    /** Deletes up to `limit` rows older than `before`; returns how many went. */
    async pruneBatch(before: Date, limit: number): Promise<number> {
      const { rows } = await sql<{ n: number }>`
        WITH gone AS (
          DELETE FROM request_logs WHERE id IN (
            SELECT id FROM request_logs WHERE "timestamp" < ${before} ORDER BY "timestamp" LIMIT ${limit}
          ) RETURNING 1
        ) SELECT count(*)::int AS n FROM gone`.execute(db);
      return rows[0]?.n ?? 0;
    },

    /** The runbook's "API usage by user" query: requests per user (and the email), most first. */
    async requestsByUser(filter: RequestLogFilter, limit: number) {
      return scoped(filter)
        .leftJoin('user_profiles', 'user_profiles.user_id', 'request_logs.user_id')
        .select((eb) => [
          'request_logs.user_id as userId',
          'user_profiles.email as email',
          eb.fn.countAll<string>().as('requests'),
          eb.fn.count<string>('request_logs.id').filterWhere('status', '>=', 400).as('errors'),
        ])
        .groupBy(['request_logs.user_id', 'user_profiles.email'])
        .orderBy('requests', 'desc')
        .limit(limit)
        .execute();
    },

    /**
     * Refused requests (401 and 403) per address, most first, with the busiest minute's count
     * (`peakPerMinute`): a burst shows as a peak close to the total.
     */
    async refusalsByIp(filter: RequestLogFilter, limit: number) {
      const refused = scoped(filter).where('status', 'in', [401, 403]);
      const totals = await refused
        .select((eb) => [
          'ip',
          eb.fn.countAll<string>().as('refused'),
          eb.fn.count<string>('id').filterWhere('status', '=', 401).as('unauthorized'),
          eb.fn.count<string>('id').filterWhere('status', '=', 403).as('forbidden'),
          eb.fn.count<string>('user_id').distinct().as('users'),
          eb.fn.min('timestamp').as('first'),
          eb.fn.max('timestamp').as('last'),
        ])
        .groupBy('ip')
        .orderBy('refused', 'desc')
        .limit(limit)
        .execute();
      const minutes = await refused
        .select((eb) => ['ip', eb.fn.countAll<string>().as('n')])
        // Only the listed addresses; the empty string keeps the list non-empty (no address is '').
        .where('ip', 'in', totals.map((t) => t.ip ?? '').concat(['']))
        .groupBy(['ip', sql`date_trunc('minute', "timestamp")`])
        .execute();
      const peak = new Map<string | null, number>();
      for (const m of minutes) peak.set(m.ip, Math.max(peak.get(m.ip) ?? 0, Number(m.n)));
      return totals.map((t) => ({ ...t, peakPerMinute: peak.get(t.ip) ?? Number(t.refused) }));
    },

    /** Requests per method and path, most first. */
    async topPaths(filter: RequestLogFilter, limit: number) {
      return scoped(filter)
        .select((eb) => [
          'method',
          'path',
          eb.fn.countAll<string>().as('requests'),
          eb.fn.count<string>('id').filterWhere('status', '>=', 400).as('errors'),
        ])
        .groupBy(['method', 'path'])
        .orderBy('requests', 'desc')
        .limit(limit)
        .execute();
    },
  };
}

/** The request-log repository. */
export type RequestLogsRepo = ReturnType<typeof createRequestLogsRepo>;
