import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { SchemaCatalog } from '../../domain/schema-catalog.ts';
import type { Executor } from './executor.ts';

type Row = { k: string; d: string };

// Only what PostgreSQL 15 and PGlite (18) describe alike: NOT NULL constraints are rows of
// pg_constraint only since 18, so they are read as column nullability instead.
const QUERIES = [
  sql<Row>`SELECT 'table ' || c.relname AS k, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS d
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND c.relname <> 'polaris_migrations'`,
  sql<Row>`SELECT 'column ' || c.relname || '.' || a.attname AS k,
      format_type(a.atttypid, a.atttypmod)
      || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
      || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
      || CASE WHEN a.attidentity::text <> '' THEN ' identity' ELSE '' END AS d
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'polaris_migrations'
      AND a.attnum > 0 AND NOT a.attisdropped`,
  sql<Row>`SELECT 'constraint ' || c.relname || '.' || con.conname AS k, pg_get_constraintdef(con.oid) AS d
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND con.contype IN ('c', 'f', 'p', 'u', 'x')
      AND c.relname <> 'polaris_migrations'`,
  sql<Row>`SELECT 'index ' || indexname || ' on ' || tablename AS k, indexdef AS d FROM pg_indexes
    WHERE schemaname = 'public' AND tablename <> 'polaris_migrations'`,
  sql<Row>`SELECT 'trigger ' || t.tgname || ' on ' || c.relname AS k, pg_get_triggerdef(t.oid) AS d
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
];

/** Reads the public schema of a database: tables, columns, constraints, indexes, functions, triggers. */
export async function readSchemaCatalog(db: Executor): Promise<SchemaCatalog> {
  const catalog: Record<string, string> = {};
  for (const query of QUERIES) {
    for (const row of (await query.execute(db)).rows) catalog[row.k] = row.d;
  }
  // A function's body is compared by hash: the text is long and the same on both versions.
  const functions = await sql<{ k: string; result: string; lang: string; body: string }>`
    SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS k,
      pg_get_function_result(p.oid) AS result, l.lanname AS lang, p.prosrc AS body
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
    WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')`.execute(db);
  for (const f of functions.rows) {
    const hash = createHash('sha256').update(f.body).digest('hex').slice(0, 16);
    catalog[f.k] = `returns ${f.result} language ${f.lang} body ${hash}`;
  }
  return Object.fromEntries(Object.entries(catalog).sort(([a], [b]) => a.localeCompare(b)));
}

/** Exact row counts of the named tables; null for a table that does not exist. */
export async function countTableRows(db: Executor, tables: string[]): Promise<Record<string, number | null>> {
  const counts: Record<string, number | null> = {};
  for (const table of tables) {
    const exists = await sql<{
      t: string | null;
    }>`SELECT to_regclass('public.' || quote_ident(${table}))::text AS t`.execute(db);
    if (!exists.rows[0]?.t) {
      counts[table] = null;
      continue;
    }
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}
