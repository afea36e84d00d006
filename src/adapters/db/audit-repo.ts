import type { Executor } from './executor.ts';

/** One audit_log row: who did what to which target, and why. */
export type AuditEntry = {
  actor: string;
  action: string;
  target: string;
  reason?: string | null;
  details?: Record<string, unknown>;
};

/** Writes audit_log rows; call it inside the transaction of the change it records. */
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
  };
}

/** The audit repository's queries. */
export type AuditRepo = ReturnType<typeof createAuditRepo>;
