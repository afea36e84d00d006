import { performance } from 'node:perf_hooks';
import { type BackupManifest, backupId } from '../../domain/backups.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';

/** What to call the backup and where to put it (default: BACKUP_DIR, else POLARIS_DATA_DIR/backups). */
export type TakeBackupInput = {
  label?: string | null | undefined;
  dir?: string | undefined;
  /** Called after each table is written, for a progress display. */
  onTable?: ((table: string) => void) | undefined;
  /** Who asked: an operator's backup (the CLI, /admin/db) is kept as a `backup.take` audit row. */
  actor?: string | undefined;
};

/** A finished backup: its manifest and where its two files are. */
export type TakenBackup = { manifest: BackupManifest; dir: string; dumpPath: string; manifestPath: string };

/** The folder a backup command works in: the one asked for, else the configured one. */
export function backupDirOf(ctx: ServiceContext, dir: string | undefined): string {
  const chosen = dir ?? ctx.backups.dir;
  if (!chosen) throw new AppError('bad_request', 'no backup folder: set BACKUP_DIR or pass --to');
  return chosen;
}

/**
 * Streams the database to `<dir>/<id>.sql` and writes `<id>.json` beside it once the dump is whole:
 * engine, schema, and each table's count and checksum from the same snapshot as the rows.
 * A failed dump leaves no file behind.
 */
export async function takeBackup({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: TakeBackupInput;
}): Promise<Result<TakenBackup>> {
  const { files, database } = ctx.backups;
  const label = input.label?.trim() || null;
  let dir: string;
  try {
    dir = backupDirOf(ctx, input.dir);
  } catch (error) {
    return { ok: false, error: error as AppError };
  }
  const createdAt = ctx.now();
  const id = files.prepareDir(dir, backupId(createdAt, label));
  const dumpPath = files.dumpPath(dir, id);
  const started = performance.now();
  try {
    const info = await database.describe();
    const dump = await database.dump(dumpPath, input.onTable);
    const manifest: BackupManifest = {
      format: 'polaris-backup/2',
      id,
      label,
      created_at: createdAt.toISOString(),
      engine: info.engine,
      server_version: info.serverVersion,
      schema_version: dump.migrations.at(-1) ?? null,
      migrations: dump.migrations,
      polaris_version: ctx.backups.polarisVersion,
      tables: dump.tables,
      dump: { file: `${id}.sql`, sha256: dump.sha256, size: dump.size },
      duration_ms: Math.round(performance.now() - started),
    };
    files.writeManifest(dir, manifest);
    if (input.actor) await recordBackup(ctx, input.actor, manifest);
    return { ok: true, value: { manifest, dir, dumpPath, manifestPath: files.manifestPath(dir, id) } };
  } catch (error) {
    files.removeBackup(dir, id);
    if (error instanceof AppError) return { ok: false, error };
    throw error;
  }
}

/** The audit row of an operator's backup, written after the dump (so not in it); the backup stands if it fails. */
async function recordBackup(ctx: ServiceContext, actor: string, manifest: BackupManifest) {
  try {
    await ctx.repos.audit.record({
      actor,
      action: 'backup.take',
      target: manifest.id,
      details: { size: manifest.dump.size, sha256: manifest.dump.sha256, schema: manifest.schema_version },
    });
  } catch (error) {
    ctx.log.warn({ err: error }, 'the backup is written but its audit row could not be');
  }
}
