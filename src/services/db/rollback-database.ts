import type { Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { previewRollback, type RollbackPreview } from './preview-rollback.ts';

/** A rollback's preview, and what it did once confirmed. */
export type RollbackOutcome =
  | { confirmed: false; preview: RollbackPreview }
  | { confirmed: true; preview: RollbackPreview; rolledBack: string[]; audited: boolean };

/**
 * Rolls the schema back to `to` (the last migration to keep, "0" for none). Destructive, so
 * without `confirmed` it only returns the preview and changes nothing.
 */
export async function rollbackDatabase({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'log'>;
  input: { to: string; confirmed: boolean; actor: string };
}): Promise<Result<RollbackOutcome>> {
  const preview = await previewRollback({ ctx, input: { to: input.to } });
  if (!preview.ok) return preview;
  if (!input.confirmed) return { ok: true, value: { confirmed: false, preview: preview.value } };
  const result = await ctx.migrations.rollback(input.to, { actor: input.actor });
  if (!result.ok) return result;
  ctx.log.warn({ actor: input.actor, to: input.to, ...result.value }, 'migrations rolled back');
  return { ok: true, value: { confirmed: true, preview: preview.value, ...result.value } };
}
