import { z } from 'zod';

/** One table's row count and the checksum of its rows in primary-key order. */
export const TableChecksum = z.object({
  table: z.string().min(1),
  rows: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{32}$/),
});
export type TableChecksum = z.infer<typeof TableChecksum>;

/**
 * The dump formats a restore reads: 1 holds the rows as INSERT statements, 2 as COPY blocks (ADR
 * 0006). A release that knows only 1 refuses a 2 by its manifest, before anything is dropped.
 */
export const BACKUP_FORMATS = ['polaris-backup/1', 'polaris-backup/2'] as const;

/** The manifest written beside each dump (`<id>.json` beside `<id>.sql`). */
export const BackupManifest = z.object({
  format: z.enum(BACKUP_FORMATS),
  id: z.string().regex(/^[0-9]{8}T[0-9]{6}Z(-[a-z0-9-]+)?$/),
  label: z.string().nullable(),
  created_at: z.string(),
  engine: z.enum(['postgresql', 'pglite']),
  server_version: z.string(),
  schema_version: z.string().nullable(),
  migrations: z.array(z.string()),
  polaris_version: z.string(),
  tables: z.array(TableChecksum),
  dump: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int() }),
  duration_ms: z.number().int().min(0),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** A label as it may appear in a backup id: lower-case letters, digits and dashes. */
export function labelSlug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** A backup id that sorts by time: `20261130T031500Z` plus the label's slug, if any. */
export function backupId(at: Date, label: string | null): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const slug = label ? labelSlug(label) : '';
  return slug ? `${stamp}-${slug}` : stamp;
}

/** The tables whose count or checksum differs between what a backup holds and what a database has. */
export function differingTables(expected: TableChecksum[], actual: TableChecksum[]): string[] {
  const byName = new Map(actual.map((t) => [t.table, t]));
  const names = new Set([...expected.map((t) => t.table), ...actual.map((t) => t.table)]);
  const wanted = new Map(expected.map((t) => [t.table, t]));
  return [...names]
    .filter((name) => {
      const a = byName.get(name);
      const e = wanted.get(name);
      return !a || !e || a.rows !== e.rows || a.checksum !== e.checksum;
    })
    .sort();
}

/** A short age such as `3m`, `5h`, `2d` for listings. */
export function ageOf(createdAt: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(createdAt)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/**
 * Why a database cannot take a backup's rows: its applied migrations differ from the backup's.
 * An empty database (nothing applied) can: it is migrated to the backup's schema first.
 */
export function schemaMismatch(applied: string[], wanted: string[]): string | null {
  if (applied.length === 0 || applied.join(',') === wanted.join(',')) return null;
  return `the database is at schema ${applied.at(-1)} but the backup was taken at ${wanted.at(-1) ?? '(empty)'}: bring it to that schema first (polaris db migrate, or db rollback --to ${wanted.at(-1) ?? '0'})`;
}
