import { performance } from 'node:perf_hooks';
import type { Repos } from '../../adapters/db/repos.ts';
import { type BackupManifest, schemaMismatch, type TableChecksum } from '../../domain/backups.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import type { FlagName } from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { setFlag } from '../flags/set-flag.ts';
import { checkBackup } from './check-backup.ts';
import { takeBackup } from './take-backup.ts';

/** `db verify` as restore needs it (services/verify builds the real one; the wiring injects it). */
export type VerifyDatabase = (ctx: ServiceContext) => Promise<{ ok: boolean; failed: string[] }>;

/** Which backup, confirmation, who, and the database checks to run after the rows are back. */
export type RestoreBackupInput = {
  id: string;
  confirmed: boolean;
  actor: string;
  dir?: string | undefined;
  verify?: VerifyDatabase | undefined;
};

/** One table after the restore, against the manifest. */
export type TableComparison = {
  table: string;
  expected: number | null;
  actual: number | null;
  match: boolean;
};

/** How a restore ended; `restored` only when every table matched and verify passed. */
export type RestoreOutcome = {
  manifest: BackupManifest;
  confirmed: boolean;
  restored: boolean;
  preRestoreBackup: string | null;
  tables: TableComparison[];
  differing: string[];
  verify: { wired: boolean; ok: boolean; failed: string[] };
  /** Maintenance and read-only stay on after a failed restore, for a person to look. */
  modesLeftOn: boolean;
  phases: Record<string, number>;
};

const MODES: FlagName[] = ['maintenance', 'read_only'];

function compare(expected: TableChecksum[], actual: TableChecksum[]): TableComparison[] {
  const names = [...new Set([...expected, ...actual].map((t) => t.table))].sort();
  return names.map((table) => {
    const e = expected.find((t) => t.table === table);
    const a = actual.find((t) => t.table === table);
    return {
      table,
      expected: e?.rows ?? null,
      actual: a?.rows ?? null,
      match: Boolean(e && a && e.rows === a.rows && e.checksum === a.checksum),
    };
  });
}

/**
 * Restores a backup over this context's database: refuses a missing, truncated or altered backup
 * and a database at another schema before anything changes; then takes a pre-restore backup, turns
 * maintenance and read-only on, loads the rows, compares every table and runs verify. The modes
 * are turned off only when everything matched.
 */
export async function restoreBackup({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: RestoreBackupInput;
}): Promise<Result<RestoreOutcome>> {
  const phases: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] = Math.round(performance.now() - start);
    }
  };
  const checked = await timed('check', () => checkBackup({ ctx, input: { id: input.id, dir: input.dir } }));
  if (!checked.ok) return checked;
  const { manifest, path } = checked.value;
  const base = {
    manifest,
    preRestoreBackup: null,
    tables: [],
    differing: [],
    verify: { wired: input.verify !== undefined, ok: false, failed: [] },
    modesLeftOn: false,
    phases,
  };
  const applied = (await ctx.backups.database.describe()).migrations;
  const mismatch = schemaMismatch(applied, manifest.migrations);
  if (mismatch) return { ok: false, error: new AppError('conflict', mismatch) };
  if (!input.confirmed) return { ok: true, value: { ...base, confirmed: false, restored: false } };

  const pre = await timed('pre_restore_backup', () =>
    takeBackup({ ctx, input: { label: 'pre-restore', dir: checked.value.dir } }),
  );
  if (!pre.ok) return pre;
  // A new, empty database (a fresh server after a loss) gets the backup's schema, flags included.
  if (applied.length === 0) await timed('migrate', () => ctx.backups.database.migrateTo(manifest.migrations));
  const reason = `db restore ${manifest.id}`;
  const message = `Restoring data from backup ${manifest.id}`;
  const before = await ctx.flags.stored();
  const turnedOn = MODES.filter((name) => before.find((f) => f.name === name)?.state !== 'on');
  for (const name of MODES) {
    await setFlag({ ctx, input: { name, state: 'on', reason, message, actor: input.actor } });
  }
  // The backup's system_flags rows replace the modes just set: set them again in the same transaction.
  const reapply = async (repos: Repos) => {
    const setAt = ctx.now();
    for (const name of MODES) {
      await repos.flags.set(name, {
        state: 'on',
        message,
        reason,
        actor: input.actor,
        setAt,
        expiresAt: null,
      });
    }
    await repos.audit.record({
      actor: input.actor,
      action: 'backup.restore',
      target: manifest.id,
      reason,
      details: { preRestoreBackup: pre.value.manifest.id, modes: MODES },
    });
  };
  const loaded = await timed('load', () =>
    ctx.backups.database.load({
      path,
      expected: { migrations: manifest.migrations, tables: manifest.tables },
      beforeCommit: reapply,
    }),
  );
  ctx.flags.changed?.();
  const tables = compare(manifest.tables, loaded.tables);
  const verify = input.verify
    ? await timed('verify', async () => ({ wired: true, ...(await (input.verify as VerifyDatabase)(ctx)) }))
    : { wired: false, ok: true, failed: [] };
  const restored = loaded.committed && loaded.differing.length === 0 && verify.ok;
  if (restored) {
    for (const name of turnedOn) {
      await setFlag({
        ctx,
        input: { name, state: 'off', reason: `${reason}: verified`, actor: input.actor },
      });
    }
  }
  return {
    ok: true,
    value: {
      ...base,
      confirmed: true,
      restored,
      preRestoreBackup: pre.value.manifest.id,
      tables,
      differing: loaded.differing,
      verify,
      modesLeftOn: !restored || turnedOn.length < MODES.length,
    },
  };
}
