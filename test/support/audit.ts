import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';

/** The audit rows that migrate and rollback wrote, oldest first. */
export function migrationAuditRows(db: Kysely<Database>) {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'target', 'details'])
    .where('action', 'like', 'db.%')
    .orderBy('id')
    .execute();
}
