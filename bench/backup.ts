import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restoreBackup } from '../src/services/backups/restore-backup.ts';
import { runDrill } from '../src/services/backups/run-drill.ts';
import { takeBackup } from '../src/services/backups/take-backup.ts';
import { verifyAfterRestore } from '../src/wiring/data-safety.ts';
import { type BenchDb, contextFor, pgliteDb, postgresDb } from './support/context.ts';
import { seedDataset } from './support/dataset.ts';

// The sizes on PostgreSQL, a tenth on PGlite; BENCH_BACKUP_SCALE=0.01 for a quick run.
const SCALE = Number(process.env.BENCH_BACKUP_SCALE ?? '1');
const FULL = { users: 100_000, payments: 1_000_000, events: 200_000 };
const sized = (factor: number) => ({
  users: Math.max(1, Math.round(FULL.users * factor * SCALE)),
  payments: Math.max(1, Math.round(FULL.payments * factor * SCALE)),
  events: Math.max(1, Math.round(FULL.events * factor * SCALE)),
});

async function measure(name: string, target: BenchDb, size: ReturnType<typeof sized>) {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-bench-backup-'));
  // No Razorpay call is made: the gateway points at a closed port.
  const { ctx, db } = await contextFor(target, 'http://127.0.0.1:9', { backupDir: dir });
  try {
    await seedDataset(db, size);
    const started = performance.now();
    const taken = await takeBackup({ ctx, input: { label: 'bench' } });
    if (!taken.ok) throw taken.error;
    const backupMs = performance.now() - started;
    const restored = await restoreBackup({
      ctx,
      input: { id: taken.value.manifest.id, confirmed: true, actor: 'bench', verify: verifyAfterRestore },
    });
    if (!restored.ok) throw restored.error;
    if (!restored.value.restored) throw new Error(`restore differs: ${restored.value.differing.join(', ')}`);
    const drill = await runDrill({ ctx, input: { id: taken.value.manifest.id, actor: 'bench' } });
    if (!drill.ok) throw drill.error;
    if (!drill.value.drill.ok) throw new Error('drill differs');
    return {
      [`${name}.payments`]: size.payments,
      [`${name}.dump_mb`]: Math.round(taken.value.manifest.dump.size / 2 ** 20),
      [`${name}.backup_ms`]: Math.round(backupMs),
      [`${name}.restore_pre_backup_ms`]: restored.value.phases.pre_restore_backup ?? 0,
      [`${name}.restore_load_ms`]: restored.value.phases.load ?? 0,
      [`${name}.restore_verify_ms`]: restored.value.phases.verify ?? 0,
      [`${name}.backup_restore_verify_ms`]:
        Math.round(backupMs) + (restored.value.phases.load ?? 0) + (restored.value.phases.verify ?? 0),
      [`${name}.restore_total_ms`]: Object.values(restored.value.phases).reduce((a, b) => a + b, 0),
      [`${name}.drill_recovery_ms`]: drill.value.recoveryMs,
    };
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Backup, restore (pre-restore backup and compare included) and drill on PostgreSQL 15 (durable) and PGlite. */
export async function runBackupBench(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  for (const [name, open, factor] of [
    ['postgres', () => postgresDb(true, 4), 1],
    ['pglite', pgliteDb, 0.1],
  ] as const) {
    const target = await open();
    try {
      Object.assign(results, await measure(name, target, sized(factor)));
    } finally {
      await target.stop();
    }
  }
  return results;
}
