import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { resetFlags, storedFlags } from '../../../../test/support/flags.ts';
import { seedBilling } from '../../../../test/support/seed.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { verifyAfterRestore } from '../../../wiring/data-safety.ts';

describeEachBackend('polaris db backup, backups, restore, drill', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let ctx: ServiceContext;
  let dir: string;
  const cli = (...args: string[]) => runCliWith(ctx, args, { verifyDatabase: verifyAfterRestore });
  const manifests = () =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();

  beforeAll(async () => {
    t = await createTestContext(get());
    await seedBilling(get().db);
    dir = mkdtempSync(join(tmpdir(), 'polaris-cli-backups-'));
    ctx = { ...t.ctx, backups: { ...t.ctx.backups, dir } };
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('db backup writes a dump and a manifest and prints what it holds; --json gives the manifest', async () => {
    const text = await cli('db', 'backup', '--label', 'first');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/backup \d{8}T\d{6}Z-first/);
    expect(text.stdout).toMatch(/rows\s+\d+ in \d+ tables/);
    const json = await cli('--json', 'db', 'backup');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.manifest.tables.length).toBeGreaterThan(10);
    expect(manifests()).toHaveLength(2);
  });

  it('db backups lists them with their ages; --keep without --yes deletes nothing', async () => {
    const list = await cli('db', 'backups');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/first/);
    expect(list.stdout).toMatch(/age/);
    const refused = await cli('db', 'backups', '--keep', '1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--keep 1 deletes 1 backups; run again with --yes/);
    expect(manifests()).toHaveLength(2);
    const bad = await cli('db', 'backups', '--keep', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--keep: must be a whole number of at least 1/);
  });

  it('db backups --keep 1 --yes deletes the older ones', async () => {
    const pruned = await cli('db', 'backups', '--keep', '1', '--yes');
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/deleted .*first/);
    expect(manifests()).toHaveLength(1);
  });

  it('db restore without --yes checks the backup, changes nothing and exits 2', async () => {
    await resetFlags(get().db);
    const before = manifests();
    const refused = await cli('db', 'restore', 'latest');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/manifest and dump checked/);
    expect(refused.stderr).toMatch(/run again with --yes/);
    expect(manifests()).toEqual(before);
    expect((await storedFlags(get().db)).maintenance?.state).toBe('off');
  });

  it('db restore latest --yes restores, runs db verify (clean), and turns the modes back off', async () => {
    await resetFlags(get().db);
    const restored = await cli('db', 'restore', 'latest', '--yes');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/pre-restore backup/);
    expect(restored.stdout).toMatch(/db verify: clean/);
    expect(restored.stdout).toMatch(/maintenance and read-only are off again/);
    const flags = await storedFlags(get().db);
    expect(flags.maintenance?.state).toBe('off');
    expect(flags.read_only?.state).toBe('off');
  });

  it('db restore of an unknown id exits 2 naming it', async () => {
    const missing = await cli('db', 'restore', '20200101T000000Z', '--yes');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no backup 20200101T000000Z/);
  });

  it('db drill prints the measured recovery time and --history lists it', async () => {
    const drill = await cli('db', 'drill');
    expect(drill.code).toBe(0);
    expect(drill.stdout).toMatch(/every table equals the manifest/);
    expect(drill.stdout).toMatch(/measured recovery time: \d+\.\d\d s/);
    const history = await cli('db', 'drill', '--history');
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/ok/);
  });

  it('db restore of a backup whose data fails db verify exits 1 naming the check and leaves maintenance and read-only on', async () => {
    const db = get().db;
    const paidWithoutSubscription = sql<{ user_id: string }>`
      UPDATE user_profiles SET subscription_tier = 'voyager'
      WHERE user_id = (SELECT user_id FROM subscriptions WHERE status = 'cancelled' LIMIT 1)
      RETURNING user_id`;
    const [changed] = (await paidWithoutSubscription.execute(db)).rows;
    expect(changed).toBeDefined();
    expect((await cli('db', 'backup', '--label', 'inconsistent')).code).toBe(0);
    await resetFlags(db);
    const restored = await cli('db', 'restore', 'latest', '--yes');
    expect(restored.code).toBe(1);
    expect(restored.stdout).toMatch(/db verify: failed: .*paid_tier/);
    const flags = await storedFlags(db);
    expect(flags.maintenance?.state).toBe('on');
    expect(flags.read_only?.state).toBe('on');
    await sql`UPDATE user_profiles SET subscription_tier = 'free' WHERE user_id = ${changed?.user_id}`.execute(
      db,
    );
    await resetFlags(db);
  });
});
