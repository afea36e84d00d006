import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrationAuditRows } from '../../../test/support/audit.ts';
import { catalogSnapshot } from '../../../test/support/catalog-snapshot.ts';
import { captureLogger } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { jsonBackup } from '../../../test/support/json-backup.ts';
import { BILLING_GROUP_NEWEST_FIRST, LAST_BEFORE_BILLING } from '../../../test/support/migrations.ts';
import { seedBilling } from '../../../test/support/seed.ts';
import { loadMigrations, Migrator } from '../../adapters/db/migrator.ts';
import { syncPlanCatalog } from '../../adapters/db/plan-catalog.ts';
import { AppError } from '../../domain/errors.ts';
import { migrateDatabase } from './migrate-database.ts';
import { rollbackDatabase } from './rollback-database.ts';

const LAST = loadMigrations().at(-1)?.name;
const BILLING_COLUMNS = [
  'blueprint_creation_count',
  'blueprint_saving_count',
  'subscription_id',
  'subscription_tier',
];

describeEachBackend('rollbackDatabase', { migrated: true }, (get) => {
  const ctx = () => ({
    migrations: new Migrator(get().db),
    planCatalog: { sync: (plans: Parameters<typeof syncPlanCatalog>[1]) => syncPlanCatalog(get().db, plans) },
    log: captureLogger().log,
  });
  const count = async (table: string) =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(get().db)).rows[0]!.n,
    );
  const auditRows = async () =>
    (await migrationAuditRows(get().db)).map(({ actor, action }) => ({ actor, action }));

  it('previews each migration it would undo, the tables it drops with their rows, and changes nothing unconfirmed', async () => {
    await seedBilling(get().db);
    const before = await catalogSnapshot(get().db);
    const result = await rollbackDatabase({
      ctx: ctx(),
      input: { to: '0099', confirmed: false, actor: 'cli:test', backup: true },
    });
    expect(result).toEqual({
      ok: true,
      value: {
        confirmed: false,
        backup: 'unavailable',
        preview: {
          to: LAST_BEFORE_BILLING,
          undo: [
            { name: '0105_page_indexes', tables: [], columns: [], functions: [] },
            {
              name: '0104_subscription_short_url',
              tables: [],
              columns: ['subscriptions.short_url'],
              functions: [],
            },
            {
              name: '0103_webhook_signatures',
              tables: [],
              columns: ['razorpay_webhook_events.secret_fingerprint'],
              functions: [],
            },
            {
              name: '0102_refunds',
              tables: [{ name: 'refunds', rows: 0 }],
              columns: [],
              functions: ['update_refunds_updated_at()'],
            },
            { name: '0101_inbox_notify', tables: [], columns: [], functions: ['polaris_notify_inbox()'] },
            {
              name: '0100_billing',
              tables: [
                { name: 'payments', rows: await count('payments') },
                { name: 'razorpay_webhook_events', rows: await count('razorpay_webhook_events') },
                { name: 'subscriptions', rows: await count('subscriptions') },
              ],
              columns: BILLING_COLUMNS.map((c) => `user_profiles.${c}`),
              functions: [
                'calculate_user_blueprint_stats(p_user_id uuid)',
                'cancel_subscription(p_user_id uuid, p_at_cycle_end boolean)',
                'get_active_subscription(p_user_id uuid)',
                'increment_blueprint_creation_count(p_user_id uuid)',
                'sync_subscription_to_user_profile()',
                'update_user_profiles_updated_at()',
              ],
            },
          ],
          accountsSurvive: true,
          auditSurvives: true,
        },
      },
    });
    expect(await count('subscriptions')).toBe(5);
    expect(await count('payments')).toBeGreaterThan(0);
    expect(await catalogSnapshot(get().db)).toEqual(before);
    expect((await ctx().migrations.status()).every((s) => s.state === 'applied')).toBe(true);
    expect(await auditRows()).toEqual([]);
  });

  it('says accounts and audit_log do not survive a rollback to 0, which then cannot be recorded', async () => {
    const result = await rollbackDatabase({
      ctx: ctx(),
      input: { to: '0', confirmed: true, actor: 'cli:test', backup: false },
    });
    if (!result.ok || !result.value.confirmed) throw new Error('rollback failed');
    expect(result.value.preview).toMatchObject({ to: '0', accountsSurvive: false, auditSurvives: false });
    expect(result.value.preview.undo.at(-1)?.tables.map((t) => t.name)).toEqual([
      'audit_log',
      'plan_catalog',
      'request_logs',
      'user_profiles',
    ]);
    expect(result.value.audited).toBe(false);
    const migrated = await migrateDatabase({ ctx: ctx(), input: { actor: 'cli:test' } });
    expect(migrated.ok && migrated.value.schema.ok).toBe(true);
    expect(await auditRows()).toEqual([{ actor: 'cli:test', action: 'db.migrate' }]);
  });

  it('refuses an unknown target with the known names', async () => {
    const result = await rollbackDatabase({
      ctx: ctx(),
      input: { to: 'nope', confirmed: true, actor: 'x', backup: true },
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: 'bad_request',
        message: expect.stringMatching(/^unknown migration "nope"; known: 0, 0001_core/),
      });
  });

  it('takes the backup before dropping anything: it holds the rows the rollback drops, and the audit row names it', async () => {
    await seedBilling(get().db);
    const payments = await count('payments');
    const audited = (await auditRows()).length;
    const backup = jsonBackup(get().db);
    const result = await rollbackDatabase({
      ctx: { ...ctx(), takeBackup: backup.take },
      input: { to: '0099', confirmed: true, actor: 'cli:test', backup: true },
    });
    if (!result.ok || !result.value.confirmed) throw new Error('rollback failed');
    const [taken] = backup.taken;
    expect(backup.taken).toHaveLength(1);
    expect(taken).toMatchObject({ label: `pre-rollback-${LAST_BEFORE_BILLING}` });
    expect(result.value.backup).toEqual({ id: taken?.id, path: taken?.path });
    expect(taken?.tables.payments).toHaveLength(payments);
    expect(existsSync(taken?.path ?? '')).toBe(true);
    expect(result.value.rolledBack).toEqual(BILLING_GROUP_NEWEST_FIRST);
    expect((await migrationAuditRows(get().db)).slice(audited)).toEqual([
      {
        actor: 'cli:test',
        action: 'db.rollback',
        target: LAST_BEFORE_BILLING,
        details: { rolledBack: BILLING_GROUP_NEWEST_FIRST, backup: taken?.id },
      },
    ]);
    const migrated = await migrateDatabase({ ctx: ctx(), input: { actor: 'cli:test' } });
    expect(migrated.ok && migrated.value.schema.ok).toBe(true);
  });

  it('refuses to roll back without a backup port, saying so, and changes nothing', async () => {
    const before = await catalogSnapshot(get().db);
    const audited = await auditRows();
    const result = await rollbackDatabase({
      ctx: ctx(),
      input: { to: '0099', confirmed: true, actor: 'cli:test', backup: true },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(
          /^backup before rollback is not available in this build; nothing was rolled back: .* --no-backup$/,
        ),
      });
    }
    expect(await catalogSnapshot(get().db)).toEqual(before);
    expect(await auditRows()).toEqual(audited);
  });

  it('a backup that fails stops the rollback before anything is dropped', async () => {
    const before = await catalogSnapshot(get().db);
    const audited = await auditRows();
    const result = await rollbackDatabase({
      ctx: {
        ...ctx(),
        takeBackup: async () => ({ ok: false, error: new AppError('unavailable', 'pg_dump exited 1') }),
      },
      input: { to: '0099', confirmed: true, actor: 'cli:test', backup: true },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'unavailable',
        message: 'the backup before rollback failed, so nothing was rolled back: pg_dump exited 1',
      },
    });
    expect(await catalogSnapshot(get().db)).toEqual(before);
    expect(await auditRows()).toEqual(audited);
  });

  it('with backup off it takes none, rolls back and records that no backup was taken', async () => {
    const audited = (await auditRows()).length;
    const backup = jsonBackup(get().db);
    const result = await rollbackDatabase({
      ctx: { ...ctx(), takeBackup: backup.take },
      input: { to: '0099', confirmed: true, actor: 'cli:test', backup: false },
    });
    expect(result).toMatchObject({ ok: true, value: { confirmed: true, backup: null, audited: true } });
    expect(backup.taken).toEqual([]);
    expect((await migrationAuditRows(get().db)).slice(audited).map((r) => r.details)).toEqual([
      { rolledBack: BILLING_GROUP_NEWEST_FIRST, backup: null },
    ]);
    const migrated = await migrateDatabase({ ctx: ctx(), input: { actor: 'cli:test' } });
    expect(migrated.ok && migrated.value.schema.ok).toBe(true);
  });

  it('migrate over a schema missing objects applies nothing and reports the drift instead of "up to date"', async () => {
    await sql`DROP TABLE subscriptions CASCADE`.execute(get().db);
    const result = await migrateDatabase({ ctx: ctx(), input: { actor: 'cli:test' } });
    if (!result.ok) throw result.error;
    expect(result.value.applied).toEqual([]);
    expect(result.value.schema).toMatchObject({ ok: false, migration: LAST, changed: [] });
    expect(result.value.schema.missing).toEqual(
      expect.arrayContaining([
        'table subscriptions',
        'function get_active_subscription(p_user_id uuid)',
        'constraint user_profiles.user_profiles_subscription_id_fkey',
        'trigger trigger_sync_subscription_to_user_profile on subscriptions',
      ]),
    );
  });
});
