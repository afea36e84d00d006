import { sql } from 'kysely';
import type { Executor } from './executor.ts';

/** One audit_log row: who did what to which target, and why. */
export type AuditEntry = {
  actor: string;
  action: string;
  target: string;
  reason?: string | null;
  details?: Record<string, unknown>;
};

/** Which audit rows to read: since a time, optionally one actor and an action or action family. */
export type AuditFilter = {
  since: Date;
  actor?: string | undefined;
  action?: string | undefined;
  /** Only rows older than this row (the next page, in the list's own order). */
  before?: number | undefined;
};

/** Writes audit_log rows (call it inside the transaction of the change it records) and reads them back. */
export function createAuditRepo(db: Executor) {
  return {
    /** Appends audit rows in one statement (none for an empty list). */
    async record(...entries: AuditEntry[]): Promise<void> {
      if (entries.length === 0) return;
      await db
        .insertInto('audit_log')
        .values(
          entries.map((entry) => ({
            actor: entry.actor,
            action: entry.action,
            target: entry.target,
            reason: entry.reason ?? null,
            details: JSON.stringify(entry.details ?? {}),
          })),
        )
        .execute();
    },

    /**
     * The rows in the window, newest first. `action` matches exactly or as a family (`user`
     * matches `user.disable`); callers pass only [a-z_.] so LIKE needs no escaping.
     */
    async list(filter: AuditFilter, limit: number) {
      let query = db
        .selectFrom('audit_log')
        .select(['id', 'created_at as at', 'actor', 'action', 'target', 'reason', 'details'])
        .where('created_at', '>', filter.since);
      if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
      const action = filter.action;
      if (action !== undefined) {
        query = query.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `${action}.%`)]));
      }
      if (filter.before !== undefined) {
        query = query.where(
          sql<boolean>`(created_at, id) < (SELECT created_at, id FROM audit_log WHERE id = ${filter.before})`,
        );
      }
      return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },
  };
}

/** The audit repository's queries. */
export type AuditRepo = ReturnType<typeof createAuditRepo>;
