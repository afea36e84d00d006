import type { BackupManifest } from '../../domain/backups.ts';
import type { ServiceContext } from '../context.ts';
import { backupDirOf } from './take-backup.ts';

/** One backup in a folder: its manifest, or why the manifest cannot be read. */
export type BackupEntry = { id: string; manifest: BackupManifest | null; problem: string | null };

/**
 * The backups of a folder, newest first by their manifest's time (then the newer file); an
 * unreadable manifest is listed with its problem.
 */
export function listBackups({ ctx, input }: { ctx: ServiceContext; input: { dir?: string | undefined } }): {
  dir: string;
  backups: BackupEntry[];
} {
  const dir = backupDirOf(ctx, input.dir);
  const backups = ctx.backups.files
    .listBackupIds(dir)
    .reverse()
    .map((id) => {
      const read = ctx.backups.files.readManifest(dir, id);
      return read.ok
        ? { id, manifest: read.value, problem: null }
        : { id, manifest: null, problem: read.error.message };
    });
  const time = (b: BackupEntry) => (b.manifest ? Date.parse(b.manifest.created_at) : 0);
  // Array.prototype.sort is stable: equal times keep the newer file first.
  backups.sort((a, b) => time(b) - time(a));
  return { dir, backups };
}

/** Resolves `latest` to the newest readable backup; any other id is taken as it is. */
export function resolveBackupId(ctx: ServiceContext, dir: string, id: string): string | null {
  if (id !== 'latest') return id;
  return listBackups({ ctx, input: { dir } }).backups.find((b) => b.manifest)?.id ?? null;
}
