import { sql } from 'kysely';
import type { Executor } from '../executor.ts';

/** A table a backup carries: its columns (generated ones excluded) and its primary key. */
export type DumpTable = { name: string; columns: string[]; key: string[] };

/** The migrations ledger is the schema, not data: a restore needs the same one already in place. */
export const LEDGER = 'polaris_migrations';

/** Quotes an identifier the way PostgreSQL does. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The data tables of the public schema, by name, with their columns in order and primary key. */
export async function readDumpTables(db: Executor): Promise<DumpTable[]> {
  const { rows } = await sql<{ table: string; columns: string[]; key: string[] | null }>`
    SELECT c.relname AS table,
      array(SELECT a.attname::text FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attnum) AS columns,
      (SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM pg_constraint con
        CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE con.conrelid = c.oid AND con.contype = 'p') AS key
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> ${LEDGER}
    ORDER BY c.relname COLLATE "C"`.execute(db);
  return rows.map((r) => ({ name: r.table, columns: r.columns, key: r.key ?? [] }));
}

/**
 * The SQL text of one row: every column as a quoted literal or NULL, comma-separated. Under the
 * session settings of SESSION_SETTINGS it reads the same on PostgreSQL 15 and PGlite.
 */
export function rowTextSql(table: DumpTable): string {
  return table.columns.map((c) => `quote_nullable(${ident(c)}::text)`).join(` || ',' || `);
}

/** A deterministic order on both engines: the key (every column without one) as text in the C collation. */
export function rowOrderSql(table: DumpTable): string {
  const cols = table.key.length > 0 ? table.key : table.columns;
  return cols.map((c) => `${ident(c)}::text COLLATE "C"`).join(', ');
}

/** Text formats pinned for a dump, a load and a checksum, whatever the server's defaults. */
export const SESSION_SETTINGS = [
  `SET LOCAL TimeZone = 'UTC'`,
  `SET LOCAL DateStyle = 'ISO, YMD'`,
  `SET LOCAL IntervalStyle = 'postgres'`,
  'SET LOCAL extra_float_digits = 1',
  `SET LOCAL bytea_output = 'hex'`,
  `SET LOCAL standard_conforming_strings = on`,
];

/** Applies SESSION_SETTINGS inside the current transaction. */
export async function pinTextFormats(db: Executor): Promise<void> {
  for (const statement of SESSION_SETTINGS) await sql.raw(statement).execute(db);
}

/** The sequences of the public schema (identity ones included) with their current position. */
export async function readSequences(
  db: Executor,
): Promise<{ name: string; value: string; called: boolean }[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname COLLATE "C"`.execute(db);
  const out: { name: string; value: string; called: boolean }[] = [];
  for (const { name } of rows) {
    const seq = await sql<{ last_value: string; is_called: boolean }>`
      SELECT last_value::text AS last_value, is_called FROM ${sql.id(name)}`.execute(db);
    const row = seq.rows[0];
    if (row) out.push({ name, value: row.last_value, called: row.is_called });
  }
  return out;
}

/** The names of the applied migrations, in order. */
export async function readLedger(db: Executor): Promise<string[]> {
  const found = await sql<{ t: string | null }>`SELECT to_regclass(${LEDGER})::text AS t`.execute(db);
  if (!found.rows[0]?.t) return [];
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM polaris_migrations ORDER BY name COLLATE "C"`.execute(db);
  return rows.map((r) => r.name);
}
