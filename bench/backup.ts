import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createKysely } from '../src/adapters/db/connection.ts';
import { embeddedUrl, ownConnectionUrl, serveEmbedded } from '../src/adapters/db/embedded.ts';
import { Migrator } from '../src/adapters/db/migrator.ts';
import { syncPlanCatalog } from '../src/adapters/db/plan-catalog.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { createLogger } from '../src/adapters/logger.ts';
import { PLANS } from '../src/domain/plans.ts';
import { restoreBackup } from '../src/services/backups/restore-backup.ts';
import { runDrill } from '../src/services/backups/run-drill.ts';
import { takeBackup } from '../src/services/backups/take-backup.ts';
import { assembleContext } from '../src/wiring/context.ts';
import { verifyAfterRestore } from '../src/wiring/data-safety.ts';
import { LOOSE_RATE_LIMITS } from '../test/support/accounts.ts';
import { startPostgres } from '../test/support/postgres-server.ts';
import { seedDataset } from './support/dataset.ts';

// The sizes on PostgreSQL, a tenth on PGlite; BENCH_BACKUP_SCALE=0.01 for a quick run.
const SCALE = Number(process.env.BENCH_BACKUP_SCALE ?? '1');
const FULL = { users: 100_000, payments: 1_000_000, events: 200_000 };
const sized = (factor: number) => ({
  users: Math.max(1, Math.round(FULL.users * factor * SCALE)),
  payments: Math.max(1, Math.round(FULL.payments * factor * SCALE)),
  events: Math.max(1, Math.round(FULL.events * factor * SCALE)),
});

type Target = { url: string; max: number; stop: () => Promise<void> };

async function postgres(): Promise<Target> {
  const pg = await startPostgres({ durable: true });
  return { url: pg.url, max: 4, stop: async () => pg.stop() };
}

async function pglite(): Promise<Target> {
  const lite = await PGlite.create();
  const port = await findFreePort();
  const server = await serveEmbedded(lite, port);
  return {
    url: ownConnectionUrl(embeddedUrl(port)),
    max: 1,
    stop: async () => {
      await server.stop();
      await lite.close();
    },
  };
}

async function measure(name: string, target: Target, size: ReturnType<typeof sized>) {
  const handle = createKysely(target.url, { max: target.max });
  const dir = mkdtempSync(join(tmpdir(), 'polaris-bench-backup-'));
  try {
    const migrated = await new Migrator(handle.db).migrate();
    if (!migrated.ok) throw migrated.error;
    await syncPlanCatalog(handle.db, PLANS);
    await seedDataset(handle.db, size);
    const ctx = assembleContext({
      db: handle.db,
      url: target.url,
      kind: 'postgres',
      gateway: { baseUrl: 'http://127.0.0.1:9', keyId: 'rzp_test_bench', keySecret: 'bench' },
      auth: {
        db: handle.db,
        secret: 'bench-auth-secret-0123456789abcdef0123',
        baseUrl: 'http://localhost:3000',
        rateLimit: LOOSE_RATE_LIMITS,
      },
      settings: {
        env: 'test',
        publicBaseUrl: 'http://localhost:3000',
        razorpayKeyId: 'rzp_test_bench',
        razorpayKeySecret: 'bench',
        webhookSecrets: ['bench'],
        checkoutScriptUrl: 'http://127.0.0.1:9/v1/checkout.js',
        paymentsEnabled: true,
      },
      log: createLogger('silent'),
      backupDir: dir,
    });
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
    await handle.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Backup, restore (pre-restore backup and compare included) and drill on PostgreSQL 15 (durable) and PGlite. */
export async function runBackupBench(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  for (const [name, open, factor] of [
    ['postgres', postgres, 1],
    ['pglite', pglite, 0.1],
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
