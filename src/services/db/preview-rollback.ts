import { AppError, type Result } from '../../domain/errors.ts';
import { ACCOUNT_TABLES, namesOfKind } from '../../domain/schema-catalog.ts';
import type { ServiceContext } from '../context.ts';

/** What undoing one migration drops, from the catalogs before and after it. */
export type UndoStep = {
  name: string;
  tables: { name: string; rows: number | null }[];
  /** Columns dropped from tables that stay. */
  columns: string[];
  functions: string[];
};

/** What `db rollback --to` would do, shown before it asks for --yes. */
export type RollbackPreview = {
  /** The last migration kept, or "0" for none; null when `only` named the migrations. */
  to: string | null;
  /** With `only`: the migrations it undoes (each named one, newest first). */
  only?: string[];
  undo: UndoStep[];
  /** No table holding accounts (auth_user, auth_account, user_profiles) is dropped. */
  accountsSurvive: boolean;
  /** audit_log stays, so the rollback can be recorded there. */
  auditSurvives: boolean;
};

/** A linear rollback (`to`: the last migration to keep) or exactly some migrations (`only`). */
export type RollbackRequest = { to: string } | { only: string[] };

/**
 * Lists the migrations a rollback to `to` (or of `only`) would undo, the tables, columns and functions each
 * drops (from migrations/expected-schema.json) and the rows those tables hold now. Read-only.
 */
export async function previewRollback({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations'>;
  input: RollbackRequest;
}): Promise<Result<RollbackPreview>> {
  const plan = await ctx.migrations.planRollback('to' in input ? input.to : { only: input.only });
  if (!plan.ok) return plan;
  const steps = ctx.migrations.expectedSchema();
  const drops = [];
  for (const name of plan.value.undo) {
    const index = steps.findIndex((s) => s.name === name);
    const step = steps[index];
    if (!step) {
      const problem = `migrations/expected-schema.json has no entry for ${name}; run npm run schema:snapshot`;
      return { ok: false, error: new AppError('migration_failed', problem) };
    }
    const before = steps[index - 1]?.catalog ?? {};
    const created = Object.keys(step.catalog).filter((key) => !(key in before));
    const tables = namesOfKind(created, 'table');
    drops.push({
      name,
      tables,
      columns: namesOfKind(created, 'column').filter((c) => !tables.includes(c.split('.')[0] ?? '')),
      functions: namesOfKind(created, 'function'),
    });
  }
  const dropped = drops.flatMap((d) => d.tables);
  const rows = await ctx.migrations.countRows(dropped);
  return {
    ok: true,
    value: {
      to: 'to' in input ? (plan.value.keep ?? '0') : null,
      ...('only' in input && { only: plan.value.undo }),
      undo: drops.map((d) => ({ ...d, tables: d.tables.map((t) => ({ name: t, rows: rows[t] ?? null })) })),
      accountsSurvive: !ACCOUNT_TABLES.some((t) => dropped.includes(t)),
      auditSurvives: !dropped.includes('audit_log'),
    },
  };
}
