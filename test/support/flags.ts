import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';

/** The audit rows the kill switches wrote, oldest first. */
export function flagAuditRows(db: Kysely<Database>) {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'target', 'reason', 'details'])
    .where((eb) => eb.or([eb('action', 'like', 'flag.%'), eb('action', 'like', 'emergency.%')]))
    .orderBy('id')
    .execute();
}

/** The stored system_flags rows by name. */
export async function storedFlags(db: Kysely<Database>) {
  const rows = await db.selectFrom('system_flags').selectAll().orderBy('name').execute();
  return Object.fromEntries(rows.map((r) => [r.name, r]));
}

/** Puts every flag back in its normal state and forgets their audit rows (between tests). */
export async function resetFlags(db: Kysely<Database>) {
  for (const [names, state] of [
    [['payments'], 'on'],
    [['maintenance', 'read_only'], 'off'],
  ] as const) {
    await db
      .updateTable('system_flags')
      .set({ state, message: null, reason: 'test reset', actor: 'test', expires_at: null })
      .where('name', 'in', names)
      .execute();
  }
  await db
    .deleteFrom('audit_log')
    .where((eb) => eb.or([eb('action', 'like', 'flag.%'), eb('action', 'like', 'emergency.%')]))
    .execute();
}
