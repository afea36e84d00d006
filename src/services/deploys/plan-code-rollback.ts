import type { Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { previewRollback, type RollbackPreview } from '../db/preview-rollback.ts';
import type { DeploymentView } from './deployment-view.ts';
import { findDeployment } from './find-deployment.ts';

/** The answer to the runbook's first question: can the code alone go back to `target`? */
export type CodeRollbackPlan = {
  target: DeploymentView;
  /** Every migration the database has applied now. */
  applied: string[];
  /** Migrations the target knew that the database lacks (it was rolled back further since). */
  notApplied: string[];
  database: 'embedded' | 'postgres';
} & (
  | { codeOnly: true }
  | {
      codeOnly: false;
      /** Applied migrations the target never knew, in name order. */
      ahead: string[];
      /** What undoing them drops (db rollback --only's preview). */
      undo: RollbackPreview;
    }
);

/**
 * Compares the migrations applied now with the set the target recorded at its start (sets, not
 * last names: the billing group is numbered from 0100, ADR 0005). At or below it: the code alone
 * can go back. Ahead of it: the plan names what to undo and what that drops. Read-only.
 */
export async function planCodeRollback({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'repos' | 'migrations' | 'database'>;
  input: { to: string };
}): Promise<Result<CodeRollbackPlan>> {
  const target = await findDeployment({ ctx, input: { target: input.to } });
  // A row the files no longer know (state "missing") is applied all the same.
  const applied = (await ctx.migrations.status()).filter((s) => s.appliedAt !== null).map((s) => s.name);
  const known = new Set(target.migrations);
  const ahead = applied.filter((name) => !known.has(name));
  const base = {
    target,
    applied,
    notApplied: target.migrations.filter((name) => !applied.includes(name)),
    database: ctx.database.kind,
  };
  if (ahead.length === 0) return { ok: true, value: { ...base, codeOnly: true } };
  const undo = await previewRollback({ ctx, input: { only: ahead } });
  if (!undo.ok) return undo;
  return { ok: true, value: { ...base, codeOnly: false, ahead, undo: undo.value } };
}
