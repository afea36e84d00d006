import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import type { Result } from '../../src/domain/errors.ts';

/**
 * A real, simple stand-in for services/backups/take-backup.ts: writes every public table's rows as
 * JSON to a temporary folder, so a test can see what the backup held when it was taken.
 */
export function jsonBackup(db: Kysely<Database>) {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-json-backup-'));
  const taken: { id: string; path: string; label: string; tables: Record<string, unknown[]> }[] = [];
  const take = async (label: string): Promise<Result<{ id: string; path: string }>> => {
    const names = await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables
      WHERE schemaname = 'public' ORDER BY tablename`.execute(db);
    const tables: Record<string, unknown[]> = {};
    for (const { t } of names.rows) tables[t] = (await sql`SELECT * FROM ${sql.table(t)}`.execute(db)).rows;
    const id = `${label}-${taken.length + 1}`;
    const path = join(dir, `${id}.json`);
    writeFileSync(path, JSON.stringify(tables));
    taken.push({ id, path, label, tables });
    return { ok: true, value: { id, path } };
  };
  return { take, taken };
}
