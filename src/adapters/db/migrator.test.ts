import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { catalogSnapshot } from '../../../test/support/catalog-snapshot.ts';
import { describeEachBackend, migrateTestDatabase } from '../../../test/support/databases.ts';
import { RUNBOOK_ROLLBACK_PATH, runbookQueries, statements } from '../../../test/support/runbook-sql.ts';
import { createUser, seedBilling } from '../../../test/support/seed.ts';
import { loadMigrations, MIGRATIONS_DIR, Migrator } from './migrator.ts';

const ALL = loadMigrations().map((f) => f.name);
const states = (state: string) => ALL.map(() => state);

describe('migration files', () => {
  it("uses the runbook's Razorpay rollback, statement for statement, as the billing down migration", () => {
    const down = readFileSync(join(MIGRATIONS_DIR, '0002_billing.down.sql'), 'utf8');
    const runbook = readFileSync(RUNBOOK_ROLLBACK_PATH, 'utf8');
    expect(statements(down)).toEqual(statements(runbook));
    expect(statements(down)).toHaveLength(16);
  });

  it('pairs every up file with a down file', () => {
    const files = loadMigrations();
    expect(files.map((f) => f.name).slice(0, 2)).toEqual(['0001_core', '0002_billing']);
    for (const f of files) expect(f.down.length).toBeGreaterThan(0);
  });
});

describeEachBackend('migrations', { migrated: false }, (get) => {
  it('applies every migration once, in order, and reports them applied', async () => {
    const migrator = new Migrator(get().db);
    expect((await migrator.status()).map((s) => s.state)).toEqual(states('pending'));
    const first = await migrator.migrate();
    expect(first).toEqual({ ok: true, value: { applied: ALL } });
    const again = await migrator.migrate();
    expect(again).toEqual({ ok: true, value: { applied: [] } });
    expect((await migrator.status()).map((s) => s.state)).toEqual(states('applied'));
  });

  it('runs every runbook query unchanged on seeded data', async () => {
    await migrateTestDatabase(get().db);
    await seedBilling(get().db);
    const queries = runbookQueries();
    expect(queries.length).toBe(12);
    for (const q of queries) {
      const result = await sql.raw(q.sql).execute(get().db);
      expect(Array.isArray(result.rows), q.name).toBe(true);
    }
    const failures = await sql
      .raw(queries.find((q) => q.name === 'recent-payment-failures')!.sql)
      .execute(get().db);
    expect(
      failures.rows.some((r) => (r as { error_message: string }).error_message?.includes('Payment failed')),
    ).toBe(true);
  });

  it("returns no rows from the runbook's consistency queries on a consistent database, and the broken rows otherwise", async () => {
    const db = get().db;
    const byName = Object.fromEntries(runbookQueries().map((q) => [q.name, q.sql]));
    const run = async (name: string) =>
      (await sql.raw(byName[name]!).execute(db)).rows as Record<string, unknown>[];
    expect(await run('tier-mismatch')).toEqual([]);
    expect(await run('orphaned-captured-payments')).toEqual([]);

    const { subscriptions, users } = await seedBilling(db);
    expect(await run('tier-mismatch')).toEqual([]);
    await db
      .updateTable('user_profiles')
      .set({ subscription_tier: 'free' })
      .where('user_id', '=', users[0]!)
      .execute();
    const mismatch = await run('tier-mismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]).toMatchObject({
      subscription_id: subscriptions.subA,
      user_tier: 'free',
      subscription_tier: 'navigator',
    });

    await db
      .insertInto('payments')
      .values({
        razorpay_payment_id: 'pay_Orphan00000001',
        amount: 100,
        status: 'captured',
        user_id: users[5]!,
      })
      .execute();
    const orphans = await run('orphaned-captured-payments');
    expect(orphans.map((o) => o.razorpay_payment_id)).toEqual(['pay_Orphan00000001']);
  });
});

describeEachBackend('billing rollback', { migrated: false }, (get) => {
  it('restores the catalog exactly to its state before the billing migration, and migrates up again', async () => {
    const db = get().db;
    const onlyCore = new Migrator(db, loadMigrations().slice(0, 1));
    expect((await onlyCore.migrate()).ok).toBe(true);
    const before = await catalogSnapshot(db);

    const migrator = new Migrator(db);
    expect((await migrator.migrate()).ok).toBe(true);
    await seedBilling(db);
    const during = await catalogSnapshot(db);
    expect(during).not.toEqual(before);

    const rolledBack = await migrator.rollback('0001_core');
    expect(rolledBack).toEqual({ ok: true, value: { rolledBack: ALL.slice(1).reverse() } });
    expect(await catalogSnapshot(db)).toEqual(before);

    expect(await migrator.migrate()).toEqual({ ok: true, value: { applied: ALL.slice(1) } });
    expect(await catalogSnapshot(db)).toEqual(during);
  });

  it('refuses an unknown rollback target and changes nothing', async () => {
    const migrator = new Migrator(get().db);
    const result = await migrator.rollback('0009_nothing');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/unknown migration "0009_nothing"/);
    expect((await migrator.status()).map((s) => s.state)).toEqual(states('applied'));
  });

  it('refuses an applied migration whose file was edited, naming the file', async () => {
    const files = loadMigrations();
    const edited = files.map((f) => (f.name === '0001_core' ? { ...f, checksum: 'edited' } : f));
    const migrator = new Migrator(get().db, edited);
    for (const result of [await migrator.migrate(), await migrator.rollback('0')]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/migrations\/0001_core\.up\.sql was edited/);
    }
    expect((await new Migrator(get().db).status()).map((s) => s.state)).toEqual(states('applied'));
  });

  it('lets two migrators race without applying anything twice', async () => {
    const db = get().db;
    expect((await new Migrator(db).rollback('0')).ok).toBe(true);
    const [a, b] = await Promise.all([new Migrator(db).migrate(), new Migrator(db).migrate()]);
    const applied = [a, b].flatMap((r) => (r.ok ? r.value.applied : ['error']));
    expect(applied.sort()).toEqual(ALL);
  });

  it('rolls everything back with --to 0', async () => {
    const db = get().db;
    await createUser(db, 'someone@example.com');
    const result = await new Migrator(db).rollback('0');
    expect(result).toEqual({ ok: true, value: { rolledBack: [...ALL].reverse() } });
    const left = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'polaris_migrations'`.execute(
      db,
    );
    expect(left.rows[0]?.n).toBe(0);
  });
});
