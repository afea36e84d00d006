import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { previewRollback, type RollbackPreview, type RollbackRequest } from './preview-rollback.ts';

/** A backup taken before a rollback drops anything (services/backups/take-backup.ts, wired in src/main.ts). */
export type BackupBeforeRollback = (label: string) => Promise<Result<{ id: string; path: string }>>;

/** What happens to the backup: taken first, skipped with --no-backup, or impossible in this build. */
export type BackupPlan = 'planned' | 'skipped' | 'unavailable';

/** The refusal when a backup is asked for and no backup port is wired. */
export const BACKUP_UNAVAILABLE = 'backup before rollback is not available in this build';

/** A rollback's preview, and what it did once confirmed. */
export type RollbackOutcome =
  | { confirmed: false; preview: RollbackPreview; backup: BackupPlan }
  | {
      confirmed: true;
      preview: RollbackPreview;
      /** The backup taken before anything was dropped; null when skipped or nothing was undone. */
      backup: { id: string; path: string } | null;
      rolledBack: string[];
      audited: boolean;
    };

/**
 * Rolls the schema back to `to` (the last migration to keep, "0" for none), or undoes exactly
 * `only`, after a backup unless `backup` is false. Destructive, so without `confirmed` it only
 * returns the preview and changes nothing; a backup it cannot take refuses the whole rollback.
 */
export async function rollbackDatabase({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'migrations' | 'log'> & { takeBackup?: BackupBeforeRollback | undefined };
  input: RollbackRequest & { confirmed: boolean; actor: string; backup: boolean };
}): Promise<Result<RollbackOutcome>> {
  const request: RollbackRequest = 'to' in input ? { to: input.to } : { only: input.only };
  const preview = await previewRollback({ ctx, input: request });
  if (!preview.ok) return preview;
  const plan: BackupPlan = !input.backup ? 'skipped' : ctx.takeBackup ? 'planned' : 'unavailable';
  if (!input.confirmed)
    return { ok: true, value: { confirmed: false, preview: preview.value, backup: plan } };
  const nothingToUndo = preview.value.undo.length === 0;
  let backup: { id: string; path: string } | null = null;
  if (plan === 'unavailable' && !nothingToUndo) {
    const message = `${BACKUP_UNAVAILABLE}; nothing was rolled back: copy the database yourself (RUNBOOK.md, "Backup-Based Rollback"), then run again with --no-backup`;
    return { ok: false, error: new AppError('unavailable', message) };
  }
  if (plan === 'planned' && ctx.takeBackup && !nothingToUndo) {
    const label = `pre-rollback-${preview.value.to ?? 'only'}`;
    const taken = await ctx.takeBackup(label);
    if (!taken.ok) {
      const message = `the backup before rollback failed, so nothing was rolled back: ${taken.error.message}`;
      return { ok: false, error: new AppError(taken.error.code, message) };
    }
    backup = { id: taken.value.id, path: taken.value.path };
  }
  const target = 'to' in request ? request.to : { only: request.only };
  const result = await ctx.migrations.rollback(target, {
    actor: input.actor,
    details: { backup: backup?.id ?? null },
  });
  if (!result.ok) return result;
  ctx.log.warn({ actor: input.actor, ...request, ...result.value, backup }, 'migrations rolled back');
  return { ok: true, value: { confirmed: true, preview: preview.value, backup, ...result.value } };
}
