import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadMigrations } from '../src/adapters/db/migration-files.ts';
import { migrationAuditRows } from './support/audit.ts';
import { runCli } from './support/cli.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { fullApp } from './support/full-app.ts';
import { LAST_BEFORE_BILLING } from './support/migrations.ts';
import { RUNBOOK_ROLLBACK_PATH } from './support/runbook-sql.ts';
import { seedBilling } from './support/seed.ts';

const ACTOR = `cli:${userInfo().username}`;
// Each CLI run starts a node process (seconds on a busy machine); these tests make several.
const CLI_TIMEOUT_MS = 240_000;
const AFTER_BILLING = loadMigrations()
  .map((m) => m.name)
  .filter((name) => name >= '0100');
const LAST = AFTER_BILLING.at(-1);
describeEachBackend('db rollback and drift through the CLI and psql', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: ReturnType<typeof fullApp>;
  const env = () => ({ DATABASE_URL: get().url });
  const count = async (table: string) =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(get().db)).rows[0]!.n,
    );
  const auditRows = () => migrationAuditRows(get().db);
  /** Polls readiness until it answers `status` (the schema answer is cached for a few seconds). */
  const readinessUntil = async (status: number) => {
    for (let i = 0; i < 200; i++) {
      const res = await app.request('/api/health/ready');
      if (res.status === status) return (await res.json()) as { checks: Record<string, { detail: string }> };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`readiness never answered ${status}`);
  };

  beforeAll(async () => {
    t = await createTestContext(get());
    app = fullApp(t.ctx);
    await seedBilling(get().db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it(
    'rollback without --yes lists each migration, the tables it drops with their rows, and that accounts survive; it changes nothing',
    async () => {
      const [payments, events, subscriptions] = [
        await count('payments'),
        await count('razorpay_webhook_events'),
        await count('subscriptions'),
      ];
      const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;
      const text = await runCli(['db', 'rollback', '--to', '0099', '--no-backup'], env());
      expect(text.code).toBe(2);
      expect(text.stdout.split('\n')).toEqual([
        `Rolling back to ${LAST_BEFORE_BILLING} undoes ${AFTER_BILLING.length} migrations, newest first:`,
        '  0105_page_indexes',
        '  0104_subscription_short_url',
        '    drops columns subscriptions.short_url',
        '  0103_webhook_signatures',
        '    drops columns razorpay_webhook_events.secret_fingerprint',
        '  0102_refunds',
        '    drops table refunds (0 rows)',
        '    drops functions update_refunds_updated_at',
        '  0101_inbox_notify',
        '    drops functions polaris_notify_inbox',
        '  0100_billing',
        `    drops table payments (${rows(payments)})`,
        `    drops table razorpay_webhook_events (${rows(events)})`,
        `    drops table subscriptions (${rows(subscriptions)})`,
        '    drops columns user_profiles.blueprint_creation_count, user_profiles.blueprint_saving_count, user_profiles.subscription_id, user_profiles.subscription_tier',
        '    drops functions calculate_user_blueprint_stats, cancel_subscription, get_active_subscription, increment_blueprint_creation_count, sync_subscription_to_user_profile, update_user_profiles_updated_at',
        'Accounts survive: auth_user, auth_account, user_profiles are kept.',
        '',
      ]);
      expect(text.stderr).toBe(
        `polaris: rolling back to ${LAST_BEFORE_BILLING} drops the tables above and their data; run again with --yes to confirm (no backup is taken: --no-backup)\n`,
      );

      const json = await runCli(['--json', 'db', 'rollback', '--to', '0099', '--no-backup'], env());
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        confirmed: false,
        preview: { to: LAST_BEFORE_BILLING, accountsSurvive: true, auditSurvives: true },
        error: { code: 'bad_request' },
      });
      expect(JSON.parse(json.stdout).preview.undo.map((u: { name: string }) => u.name)).toEqual(
        [...AFTER_BILLING].reverse(),
      );

      expect([await count('payments'), await count('subscriptions')]).toEqual([payments, subscriptions]);
      expect((await t.ctx.migrations.status()).every((m) => m.state === 'applied')).toBe(true);
      expect(await auditRows()).toEqual([]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "the runbook's rollback SQL pasted into psql completes; readiness answers 503 and db status exits 1, naming what is missing",
    async () => {
      expect((await app.request('/api/health/ready')).status).toBe(200);
      // Asynchronously: on PGlite the database is served by this very process.
      const pasted = await promisify(execFile)(
        'psql',
        [get().url, '-v', 'ON_ERROR_STOP=0', '-f', RUNBOOK_ROLLBACK_PATH, '-o', '/dev/null'],
        { encoding: 'utf8' },
      );
      expect(pasted.stderr).not.toContain('ERROR');

      const ready = await readinessUntil(503);
      const detail = ready.checks.schema!.detail;
      expect(detail).toMatch(new RegExp(`^schema drift from ${LAST}: missing `));
      for (const name of [
        'table payments',
        'table razorpay_webhook_events',
        'table subscriptions',
        'column user_profiles.subscription_tier',
        'function get_active_subscription(p_user_id uuid)',
        'function update_user_profiles_updated_at()',
        'constraint refunds.refunds_payment_id_fkey',
      ]) {
        expect(detail).toContain(name);
      }
      expect(detail).not.toContain('column payments.');

      const status = await runCli(['db', 'status'], env());
      expect(status.code).toBe(1);
      expect(status.stdout).toContain(detail);
      expect(status.stdout.trim().split('\n').at(-1)).toBe('schema is NOT current');
      const migrate = await runCli(['db', 'migrate'], env());
      expect(migrate.code).toBe(1);
      expect(migrate.stdout).not.toContain('up to date');
      expect(migrate.stdout).toContain(detail);

      // The way back: record the rollback the paste half-did, then migrate forward.
      const back = await runCli(['db', 'rollback', '--to', '0099', '--no-backup', '--yes'], env());
      expect(back.code).toBe(0);
      expect(back.stdout).toContain('    drops table payments (already missing)\n');
      const forward = await runCli(['db', 'migrate'], env());
      expect(forward.code).toBe(0);
      expect(forward.stdout).toBe(
        `${AFTER_BILLING.map((n) => `applied ${n}`).join('\n')}\nschema is current\n`,
      );
      expect((await readinessUntil(200)).checks.schema?.detail).toBe(`matches ${LAST}`);
    },
    CLI_TIMEOUT_MS,
  );

  it('every CLI migrate and rollback left an audit row naming the OS user and what it did', async () => {
    expect(await auditRows()).toEqual([
      { actor: ACTOR, action: 'db.migrate', target: LAST, details: { applied: [] } },
      {
        actor: ACTOR,
        action: 'db.rollback',
        target: LAST_BEFORE_BILLING,
        details: { rolledBack: [...AFTER_BILLING].reverse(), backup: null },
      },
      { actor: ACTOR, action: 'db.migrate', target: LAST, details: { applied: AFTER_BILLING } },
    ]);
  });
});
