import { collapseByTable, compareCatalog, type SchemaDrift } from '../../domain/schema-catalog.ts';
import type { ServiceContext } from '../context.ts';

/** The schema compared with what its last applied migration must leave (migrations/expected-schema.json). */
export type SchemaCheck = SchemaDrift & {
  /** False when an expected object is missing or defined differently, or nothing says what to expect. */
  ok: boolean;
  /** The last applied migration, whose catalog is expected; null on an empty database. */
  migration: string | null;
  /** Set when the check itself could not be made. */
  problem?: string;
};

/**
 * Compares the database's catalog with the expected one: the one comparison readiness, `db status`,
 * `db migrate` and `db verify` share.
 */
export async function checkSchema({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'migrations'>;
}): Promise<SchemaCheck> {
  const states = await ctx.migrations.status();
  const migration = states.filter((s) => s.state === 'applied' || s.state === 'changed').at(-1)?.name ?? null;
  const expected =
    migration === null ? {} : ctx.migrations.expectedSchema().find((s) => s.name === migration)?.catalog;
  if (expected === undefined) {
    return {
      ok: false,
      migration,
      missing: [],
      changed: [],
      unexpected: [],
      problem: `migrations/expected-schema.json has no entry for ${migration}; run npm run schema:snapshot`,
    };
  }
  const drift = compareCatalog(expected, await ctx.migrations.readSchema());
  return { ok: drift.missing.length === 0 && drift.changed.length === 0, migration, ...drift };
}

/** One line naming what is wrong with the schema (empty when nothing is); a missing table stands for its parts. */
export function describeDrift(check: SchemaCheck): string {
  if (check.problem) return check.problem;
  const parts = [];
  if (check.missing.length > 0) parts.push(`missing ${collapseByTable(check.missing).join(', ')}`);
  if (check.changed.length > 0) parts.push(`changed ${check.changed.join(', ')}`);
  if (parts.length === 0) return '';
  return `schema drift from ${check.migration}: ${parts.join('; ')}`;
}
