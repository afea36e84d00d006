import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';

/**
 * The public schema as pg_catalog describes it: tables, columns (type, default, nullability),
 * constraints, indexes, functions and triggers, sorted so two snapshots compare with toEqual.
 */
export async function catalogSnapshot(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const q = async (query: ReturnType<typeof sql<{ d: string }>>) =>
    (await query.execute(db)).rows.map((r) => r.d).sort();
  return {
    tables: await q(sql`SELECT c.relname || ':' || c.relkind::text AS d FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p')`),
    columns: await q(sql`SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
        || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
        || CASE WHEN a.attidentity::text <> '' THEN ' identity ' || a.attidentity::text ELSE '' END AS d
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`),
    constraints:
      await q(sql`SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) AS d
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`),
    indexes: await q(sql`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public'`),
    functions: await q(sql`SELECT pg_get_functiondef(p.oid) AS d FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')`),
    triggers: await q(sql`SELECT pg_get_triggerdef(t.oid) AS d FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT t.tgisinternal`),
  };
}
