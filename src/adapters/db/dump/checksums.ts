import { sql } from 'kysely';
import type { TableChecksum } from '../../../domain/backups.ts';
import type { Executor } from '../executor.ts';
import { type DumpTable, ident, pinTextFormats, readDumpTables, rowOrderSql, rowTextSql } from './catalog.ts';

/**
 * The checksum of one table: md5 over the md5 of each row's text, in key order. The dump writer
 * computes the same value while streaming (write-dump.ts), so the two can be compared.
 */
export async function tableChecksum(db: Executor, table: DumpTable): Promise<TableChecksum> {
  const { rows } = await sql<{ rows: number; checksum: string }>`
    SELECT count(*)::int AS rows,
      md5(coalesce(string_agg(md5(x.r), '' ORDER BY ${sql.raw(rowOrderSql(table))}), '')) AS checksum
    FROM ${sql.id(table.name)} CROSS JOIN LATERAL (SELECT ${sql.raw(rowTextSql(table))} AS r) x`.execute(db);
  const row = rows[0] ?? { rows: 0, checksum: '' };
  return { table: table.name, rows: row.rows, checksum: row.checksum };
}

/** Every data table's count and checksum; call inside a transaction (it pins the text formats). */
export async function readChecksums(db: Executor): Promise<TableChecksum[]> {
  await pinTextFormats(db);
  const out: TableChecksum[] = [];
  for (const table of await readDumpTables(db)) out.push(await tableChecksum(db, table));
  return out;
}

export { ident };
