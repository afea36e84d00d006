import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { seedBilling } from '../../../test/support/seed.ts';
import { backupDatabase } from '../../adapters/db/backups.ts';
import { listDrills } from './list-drills.ts';
import { runDrill } from './run-drill.ts';
import { takeBackup } from './take-backup.ts';

async function drillDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: inject('pgUrl') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'polaris_drill_%'`,
    );
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

describeEachBackend('db drill', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;
  const live = async () =>
    (await backupDatabase(get().db, get().url).checksums()).filter(
      (x) => x.table !== 'drills' && x.table !== 'audit_log',
    );

  beforeAll(async () => {
    t = await createTestContext(get());
    await seedBilling(get().db);
    dir = mkdtempSync(join(tmpdir(), 'polaris-drill-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores the latest backup into a scratch database, records the phases, and touches nothing live', async () => {
    const taken = await takeBackup({ ctx: t.ctx, input: { label: 'quarterly', dir } });
    if (!taken.ok) throw taken.error;
    const before = await live();
    const result = await runDrill({ ctx: t.ctx, input: { actor: 'cli:test', dir } });
    if (!result.ok) throw result.error;
    const { drill, phases, recoveryMs } = result.value;
    expect(drill.ok).toBe(true);
    expect(drill.backup_id).toBe(taken.value.manifest.id);
    expect(drill.differing).toEqual([]);
    expect(Object.keys(phases)).toEqual(['check', 'prepare', 'load', 'compare', 'drop']);
    expect(recoveryMs).toBe(phases.check! + phases.prepare! + phases.load! + phases.compare!);
    expect(await live()).toEqual(before);
    expect(await drillDatabases()).toEqual([]);
    const history = await listDrills({ ctx: t.ctx, input: { limit: 10 } });
    expect(history.map((d) => d.id)).toContain(drill.id);
  });

  it('records a failed drill naming the table whose rows differ from the manifest', async () => {
    const taken = await takeBackup({ ctx: t.ctx, input: { label: 'differs', dir } });
    if (!taken.ok) throw taken.error;
    const manifest = JSON.parse(readFileSync(taken.value.manifestPath, 'utf8'));
    manifest.tables.find((x: { table: string }) => x.table === 'subscriptions').checksum = '0'.repeat(32);
    writeFileSync(taken.value.manifestPath, JSON.stringify(manifest));
    const result = await runDrill({
      ctx: t.ctx,
      input: { id: taken.value.manifest.id, actor: 'cli:test', dir },
    });
    if (!result.ok) throw result.error;
    expect(result.value.drill.ok).toBe(false);
    expect(result.value.drill.differing).toEqual(['subscriptions']);
    expect(await drillDatabases()).toEqual([]);
  });
});
