import type { Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { previewRollback, type RollbackPreview, type RollbackRequest } from './preview-rollback.ts';

/** A rollback's preview, and what it did once confirmed. */
export type RollbackOutcome =
  | { confirmed: false; preview: RollbackPreview }
  | { confirmed: true; preview: RollbackPreview; rolledBack: string[]; audited: boolean };

/**
 * Rolls the schema back to `to` (the last migration to keep, "0" for none), or undoes exactly
 * `only`. Destructive, so without `confirmed` it only returns the preview and changes nothing.
 */
export async function rollbackDatabase({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'log'>;
  input: RollbackRequest & { confirmed: boolean; actor: string };
}): Promise<Result<RollbackOutcome>> {
  const request: RollbackRequest = 'to' in input ? { to: input.to } : { only: input.only };
  const preview = await previewRollback({ ctx, input: request });
  if (!preview.ok) return preview;
  if (!input.confirmed) return { ok: true, value: { confirmed: false, preview: preview.value } };
  const target = 'to' in request ? request.to : { only: request.only };
  const result = await ctx.migrations.rollback(target, { actor: input.actor });
  if (!result.ok) return result;
  ctx.log.warn({ actor: input.actor, ...request, ...result.value }, 'migrations rolled back');
  return { ok: true, value: { confirmed: true, preview: preview.value, ...result.value } };
}
