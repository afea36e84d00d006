import type { BackupManifest } from '../../domain/backups.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { resolveBackupId } from './list-backups.ts';
import { backupDirOf } from './take-backup.ts';

/** A backup proven whole: its manifest parses and its dump has the recorded size and sha256. */
export type CheckedBackup = { manifest: BackupManifest; dir: string; path: string };

/** Finds a backup (`latest` or an id) and checks its files before anyone relies on them. */
export async function checkBackup({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string; dir?: string | undefined };
}): Promise<Result<CheckedBackup>> {
  const dir = backupDirOf(ctx, input.dir);
  const id = resolveBackupId(ctx, dir, input.id);
  if (!id) return { ok: false, error: new AppError('not_found', `no backup in ${dir}`) };
  if (id.includes('/') || id.includes('\\') || id.startsWith('.')) {
    return { ok: false, error: new AppError('bad_request', `not a backup id: ${id}`) };
  }
  const read = ctx.backups.files.readManifest(dir, id);
  if (!read.ok) return read;
  const checked = await ctx.backups.files.checkDump(dir, read.value);
  if (!checked.ok) return checked;
  return { ok: true, value: { manifest: read.value, dir, path: checked.value.path } };
}
