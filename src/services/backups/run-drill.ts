import { performance } from 'node:perf_hooks';
import type { DrillRow } from '../../adapters/db/schema-drills.ts';
import type { ScratchDatabase } from '../../adapters/db/scratch.ts';
import { differingTables } from '../../domain/backups.ts';
import type { Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { checkBackup } from './check-backup.ts';

/** Which backup to drill (default: the latest), who runs it. */
export type RunDrillInput = { id?: string | undefined; actor: string; dir?: string | undefined };

/** A recorded drill and the phases it timed. */
export type DrillOutcome = { drill: DrillRow; phases: Record<string, number>; recoveryMs: number };

// The phases a real restore would go through; dropping the scratch database is not one of them.
const RECOVERY_PHASES = ['check', 'prepare', 'load', 'compare'];

/**
 * The runbook's quarterly backup test: checks a backup, restores it into a scratch database
 * (a temporary PGlite, or a temporary database on the same server), compares every table with
 * the manifest, times each phase and records the drill. The live database only gains that record.
 */
export async function runDrill({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: RunDrillInput;
}): Promise<Result<DrillOutcome>> {
  const startedAt = ctx.now();
  const phases: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] = Math.round(performance.now() - start);
    }
  };
  const checked = await timed('check', () =>
    checkBackup({ ctx, input: { id: input.id ?? 'latest', dir: input.dir } }),
  );
  if (!checked.ok) return checked;
  const { manifest, path } = checked.value;
  const expected = { migrations: manifest.migrations, tables: manifest.tables };
  let scratch: ScratchDatabase | undefined;
  let differing: string[];
  try {
    scratch = await timed('prepare', () => ctx.backups.scratch());
    const target = scratch.database;
    const loaded = await timed('load', () => target.load({ path, expected }));
    differing = loaded.differing;
    if (loaded.committed) {
      differing = await timed('compare', async () =>
        differingTables(manifest.tables, await target.checksums()),
      );
    }
  } finally {
    await timed('drop', async () => scratch?.drop());
  }
  const recoveryMs = RECOVERY_PHASES.reduce((sum, phase) => sum + (phases[phase] ?? 0), 0);
  const drill = await ctx.transaction(async (repos) => {
    const row = await repos.drills.record({
      backupId: manifest.id,
      engine: scratch?.engine ?? manifest.engine,
      ok: differing.length === 0,
      differing,
      phases,
      recoveryMs,
      actor: input.actor,
      startedAt,
    });
    await repos.audit.record({
      actor: input.actor,
      action: 'backup.drill',
      target: manifest.id,
      details: { ok: row.ok, differing, recoveryMs },
    });
    return row;
  });
  return { ok: true, value: { drill, phases, recoveryMs } };
}
