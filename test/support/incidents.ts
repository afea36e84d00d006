import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';

/** The audit rows incident commands wrote, oldest first. */
export function incidentAuditRows(db: Kysely<Database>) {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'target', 'reason', 'details'])
    .where('action', 'like', 'incident.%')
    .orderBy('id')
    .execute();
}

/** Forgets every incident, its timeline and their audit rows (between tests). */
export async function resetIncidents(db: Kysely<Database>) {
  await db.deleteFrom('incidents').execute();
  await db.deleteFrom('audit_log').where('action', 'like', 'incident.%').execute();
}
