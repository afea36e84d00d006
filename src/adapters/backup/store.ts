import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BackupManifest } from '../../domain/backups.ts';
import { AppError, type Result } from '../../domain/errors.ts';

/** Where one backup's dump goes inside a backup folder. */
export function dumpPath(dir: string, id: string): string {
  return join(dir, `${id}.sql`);
}

/** The manifest beside a dump. */
export function manifestPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/**
 * Makes the folder (owner-only: a dump holds every row) and returns a free id: the wanted one, or
 * it with `-2`, `-3`… when two backups are taken within the same second.
 */
export function prepareDir(dir: string, id: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const taken = (candidate: string) =>
    existsSync(dumpPath(dir, candidate)) || existsSync(manifestPath(dir, candidate));
  let candidate = id;
  for (let n = 2; taken(candidate); n += 1) candidate = `${id}-${n}`;
  return candidate;
}

/** Writes a manifest (after its dump is complete, so a manifest always names a whole dump). */
export function writeManifest(dir: string, manifest: BackupManifest): void {
  writeFileSync(manifestPath(dir, manifest.id), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** Reads and validates one manifest; a missing or malformed one is a refusal naming the file. */
export function readManifest(dir: string, id: string): Result<BackupManifest> {
  const path = manifestPath(dir, id);
  if (!existsSync(path))
    return { ok: false, error: new AppError('not_found', `no backup ${id}: ${path} is missing`) };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { ok: false, error: new AppError('bad_request', `the manifest ${path} is not valid JSON`) };
  }
  const parsed = BackupManifest.safeParse(raw);
  if (!parsed.success || parsed.data.id !== id) {
    return {
      ok: false,
      error: new AppError('bad_request', `the manifest ${path} is not a Polaris backup manifest`),
    };
  }
  return { ok: true, value: parsed.data };
}

/** The ids of the backups in a folder (one per manifest), oldest written first. */
export function listBackupIds(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ id: f.slice(0, -'.json'.length), at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
    .map((b) => b.id);
}

/**
 * Checks a dump against its manifest: present, of the recorded size (else truncated or grown),
 * and of the recorded sha256 (else altered). Streams the file; never loads it whole.
 */
export async function checkDump(dir: string, manifest: BackupManifest): Promise<Result<{ path: string }>> {
  const path = join(dir, manifest.dump.file);
  if (!existsSync(path)) {
    return {
      ok: false,
      error: new AppError('not_found', `backup ${manifest.id}: its dump ${path} is missing`),
    };
  }
  const size = statSync(path).size;
  if (size !== manifest.dump.size) {
    return {
      ok: false,
      error: new AppError(
        'bad_request',
        `backup ${manifest.id}: its dump is ${size} bytes, the manifest says ${manifest.dump.size} (truncated or altered)`,
      ),
    };
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  if (hash.digest('hex') !== manifest.dump.sha256) {
    return {
      ok: false,
      error: new AppError(
        'bad_request',
        `backup ${manifest.id}: its dump's sha256 differs from the manifest (altered)`,
      ),
    };
  }
  return { ok: true, value: { path } };
}

/** Deletes one backup's dump and manifest. */
export function removeBackup(dir: string, id: string): void {
  rmSync(dumpPath(dir, id), { force: true });
  rmSync(manifestPath(dir, id), { force: true });
}

/** The file operations of a backup folder, as one port. */
export const backupFiles = {
  dumpPath,
  manifestPath,
  prepareDir,
  writeManifest,
  readManifest,
  listBackupIds,
  checkDump,
  removeBackup,
};

/** The file operations services use (adapters/backup/store.ts). */
export type BackupFiles = typeof backupFiles;

/** This build's version from package.json, recorded in every manifest. */
export function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
