import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationAuditRows } from '../../../test/support/audit.ts';
import { catalogSnapshot } from '../../../test/support/catalog-snapshot.ts';
import { describeEachBackend, migrateTestDatabase } from '../../../test/support/databases.ts';
import { RUNBOOK_ROLLBACK_PATH, runbookQueries, statements } from '../../../test/support/runbook-sql.ts';
import { createUser, seedBilling } from '../../../test/support/seed.ts';
import { loadMigrations, MIGRATIONS_DIR, Migrator } from './migrator.ts';

const ALL = loadMigrations().map((f) => f.name);
const BILLING = '0100_billing';
const BEFORE_BILLING = ALL.slice(0, ALL.indexOf(BILLING));
const states = (state: string) => ALL.map(() => state);

describe('migration files', () => {
  it("uses the runbook's Razorpay rollback, byte for byte, as the billing down migration", () => {
    const down = readFileSync(join(MIGRATIONS_DIR, `${BILLING}.down.sql`), 'utf8');
    const runbook = readFileSync(RUNBOOK_ROLLBACK_PATH, 'utf8');
    expect(down).toBe(runbook);
    expect(statements(down)).toHaveLength(16);
  });

  it('pairs every up file with a down file; every migration but the billing group is numbered below 0100', () => {
    const files = loadMigrations();
    expect(files.map((f) => f.name).slice(0, 3)).toEqual([
      '0001_core',
      '0002_accounts',
      '0003_plans_and_blueprints',
    ]);
    for (const f of files) expect(f.down.length).toBeGreaterThan(0);
    // ADR 0005: nothing below 0100 may name a billing table, or rolling billing back would break it.
    // Comments and string literals are not references ('payments' is also a kill switch's name).
    const code = (up: string) => up.replace(/--.*$/gm, '').replace(/'[^']*'/g, "''");
    for (const f of files.filter((f) => f.name < BILLING)) {
      expect(code(f.up), f.name).not.toMatch(/\b(subscriptions|payments|razorpay_webhook_events|refunds)\b/);
    }
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
    const beforeBilling = new Migrator(db, loadMigrations().slice(0, BEFORE_BILLING.length));
    expect((await beforeBilling.migrate()).ok).toBe(true);
    const before = await catalogSnapshot(db);

    const migrator = new Migrator(db);
    expect((await migrator.migrate()).ok).toBe(true);
    await seedBilling(db);
    const during = await catalogSnapshot(db);
    expect(during).not.toEqual(before);

    // `0099` keeps everything numbered below the billing group, whatever was added there.
    const rolledBack = await migrator.rollback('0099');
    expect(rolledBack).toEqual({
      ok: true,
      value: { rolledBack: ALL.slice(BEFORE_BILLING.length).reverse(), audited: false },
    });
    expect(await catalogSnapshot(db)).toEqual(before);

    expect(await migrator.migrate()).toEqual({
      ok: true,
      value: { applied: ALL.slice(BEFORE_BILLING.length) },
    });
    expect(await catalogSnapshot(db)).toEqual(during);
  });

  it('refuses an unknown rollback target and changes nothing', async () => {
    const migrator = new Migrator(get().db);
    const result = await migrator.rollback('0009_nothing');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/unknown migration "0009_nothing"/);
    // A number below every migration keeps none of them: only "0" means that, so it is refused.
    expect((await migrator.rollback('0000')).ok).toBe(false);
    expect((await migrator.status()).map((s) => s.state)).toEqual(states('applied'));
  });

  it('undoes exactly the named migrations with { only }, and refuses one its group built on', async () => {
    const migrator = new Migrator(get().db);
    const other = BEFORE_BILLING.at(-1)!;
    expect(await migrator.planRollback({ only: [other] })).toEqual({
      ok: true,
      value: { keep: null, undo: [other] },
    });
    // Billing is linear: 0100 cannot go while the billing migrations after it stay.
    const refused = await migrator.rollback({ only: [BILLING] });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.message).toBe(
        `undoing ${BILLING} needs ${ALL.filter((n) => n > BILLING).join(', ')} undone too: applied after it in its group (docs/adr/0005-migration-groups.md)`,
      );
    }
    expect(await migrator.rollback({ only: [other] })).toEqual({
      ok: true,
      value: { rolledBack: [other], audited: false },
    });
    expect((await migrator.status()).filter((s) => s.state !== 'applied').map((s) => s.name)).toEqual([
      other,
    ]);
    const again = await migrator.rollback({ only: [other] });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.message).toBe(`${other} is not applied; nothing to undo`);
    expect(await migrator.migrate()).toEqual({ ok: true, value: { applied: [other] } });
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
    const result = await new Migrator(db).rollback('0', { actor: 'cli:test' });
    expect(result).toEqual({ ok: true, value: { rolledBack: [...ALL].reverse(), audited: false } });
    const left = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'polaris_migrations'`.execute(
      db,
    );
    expect(left.rows[0]?.n).toBe(0);
  });
});

describeEachBackend('migration audit rows and history', { migrated: false }, (get) => {
  const auditRows = () => migrationAuditRows(get().db);

  it('writes one audit row per migrate and rollback with an actor, naming what was applied or undone', async () => {
    const migrator = new Migrator(get().db);
    expect((await migrator.migrate({ actor: 'server' })).ok).toBe(true);
    expect((await migrator.migrate({ actor: 'cli:ops' })).ok).toBe(true);
    const plan = await migrator.planRollback(BEFORE_BILLING.at(-1)!);
    expect(plan).toEqual({
      ok: true,
      value: { keep: BEFORE_BILLING.at(-1), undo: ALL.slice(BEFORE_BILLING.length).reverse() },
    });
    expect((await migrator.status()).every((s) => s.state === 'applied')).toBe(true);
    const back = await migrator.rollback(BEFORE_BILLING.at(-1)!, { actor: 'cli:ops' });
    expect(back).toEqual({
      ok: true,
      value: { rolledBack: ALL.slice(BEFORE_BILLING.length).reverse(), audited: true },
    });
    expect(await auditRows()).toEqual([
      { actor: 'server', action: 'db.migrate', target: ALL.at(-1), details: { applied: ALL } },
      { actor: 'cli:ops', action: 'db.migrate', target: ALL.at(-1), details: { applied: [] } },
      {
        actor: 'cli:ops',
        action: 'db.rollback',
        target: BEFORE_BILLING.at(-1),
        details: { rolledBack: ALL.slice(BEFORE_BILLING.length).reverse() },
      },
    ]);
    expect((await migrator.migrate()).ok).toBe(true);
    expect(await auditRows()).toHaveLength(3);
  });

  it('refuses a database migrated under the old numbering, saying to delete the development folder, and changes nothing', async () => {
    const db = get().db;
    const old = ['0002_billing', '0003_accounts', '0004_checkout'];
    await sql`DELETE FROM polaris_migrations WHERE name IN ('0002_accounts', '0003_plans_and_blueprints', '0100_billing')`.execute(
      db,
    );
    for (const name of old)
      await db.insertInto('polaris_migrations').values({ name, checksum: 'x' }).execute();
    const before = await catalogSnapshot(db);
    const migrator = new Migrator(db);
    for (const result of [await migrator.migrate({ actor: 'server' }), await migrator.rollback('0')]) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('migration_failed');
        expect(result.error.message).toMatch(
          /^polaris_migrations records 0002_billing, 0003_accounts, 0004_checkout as applied, but migrations\/ has no such file/,
        );
        expect(result.error.message).toContain(
          'delete the data folder (POLARIS_DATA_DIR, ./.polaris by default)',
        );
      }
    }
    const plan = await migrator.planRollback('0');
    expect(plan.ok).toBe(false);
    expect((await migrator.status()).filter((s) => s.state === 'missing').map((s) => s.name)).toEqual(old);
    expect(await catalogSnapshot(db)).toEqual(before);
    expect(await auditRows()).toHaveLength(3);
  });
});
