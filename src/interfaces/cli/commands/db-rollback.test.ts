import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrationAuditRows } from '../../../../test/support/audit.ts';
import { catalogSnapshot } from '../../../../test/support/catalog-snapshot.ts';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { jsonBackup } from '../../../../test/support/json-backup.ts';
import { BILLING_GROUP_NEWEST_FIRST, LAST_BEFORE_BILLING } from '../../../../test/support/migrations.ts';
import { seedBilling } from '../../../../test/support/seed.ts';
import { cliActor } from '../actor.ts';

const DROPS = `rolling back to ${LAST_BEFORE_BILLING} drops the tables above and their data`;

describeEachBackend('polaris db rollback backs up first', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
    await seedBilling(get().db);
  });
  afterAll(async () => {
    await t?.close();
  });
  const cli = (args: string[], backup?: ReturnType<typeof jsonBackup>) =>
    runCliWith(t.ctx, args, backup ? { backupBeforeRollback: (_ctx, label) => backup.take(label) } : {});
  const unchanged = async (work: () => Promise<void>) => {
    const [catalog, audit] = [await catalogSnapshot(get().db), await migrationAuditRows(get().db)];
    await work();
    expect(await catalogSnapshot(get().db)).toEqual(catalog);
    expect(await migrationAuditRows(get().db)).toEqual(audit);
  };
  const forward = async () => {
    const migrated = await t.ctx.migrations.migrate();
    if (!migrated.ok) throw migrated.error;
  };

  it('without a wired backup it says backup before rollback is not available in this build and refuses (exit 2), with or without --yes', async () => {
    await unchanged(async () => {
      const preview = await cli(['db', 'rollback', '--to', '0099']);
      expect(preview.code).toBe(2);
      expect(preview.stdout).toContain('  0100_billing\n    drops table payments (');
      expect(preview.stderr).toBe(
        `polaris: backup before rollback is not available in this build: ${DROPS}; copy the database yourself (RUNBOOK.md, "Backup-Based Rollback"), then run again with --no-backup --yes\n`,
      );

      const confirmed = await cli(['db', 'rollback', '--to', '0099', '--yes']);
      expect(confirmed.code).toBe(2);
      expect(confirmed.stderr).toBe(
        'polaris: backup before rollback is not available in this build; nothing was rolled back: copy the database yourself (RUNBOOK.md, "Backup-Based Rollback"), then run again with --no-backup\n',
      );

      const json = await cli(['--json', 'db', 'rollback', '--to', '0099', '--yes']);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    });
  });

  it('with a backup port the preview says a backup is taken first; --yes takes it, rolls back and records its id', async () => {
    const backup = jsonBackup(get().db);
    await unchanged(async () => {
      const preview = await cli(['db', 'rollback', '--to', '0099'], backup);
      expect(preview.code).toBe(2);
      expect(preview.stderr).toBe(
        `polaris: ${DROPS}; run again with --yes to confirm (a backup is taken first)\n`,
      );
    });
    expect(backup.taken).toEqual([]);

    const audited = (await migrationAuditRows(get().db)).length;
    const done = await cli(['db', 'rollback', '--to', '0099', '--yes'], backup);
    expect(done.code).toBe(0);
    const [taken] = backup.taken;
    expect(taken?.tables.payments?.length).toBeGreaterThan(0);
    expect(done.stdout).toContain(
      [
        'Accounts survive: auth_user, auth_account, user_profiles are kept.',
        `backed up first: ${taken?.id} (${taken?.path})`,
        ...BILLING_GROUP_NEWEST_FIRST.map((name) => `rolled back ${name}`),
        `recorded in audit_log as ${cliActor()}`,
        '',
      ].join('\n'),
    );
    expect((await migrationAuditRows(get().db)).slice(audited)).toEqual([
      {
        actor: cliActor(),
        action: 'db.rollback',
        target: LAST_BEFORE_BILLING,
        details: { rolledBack: BILLING_GROUP_NEWEST_FIRST, backup: taken?.id },
      },
    ]);
    await forward();
  });

  it('--no-backup takes none even when one could be taken, and says so', async () => {
    const backup = jsonBackup(get().db);
    await unchanged(async () => {
      const preview = await cli(['db', 'rollback', '--to', '0099', '--no-backup'], backup);
      expect(preview.code).toBe(2);
      expect(preview.stderr).toBe(
        `polaris: ${DROPS}; run again with --yes to confirm (no backup is taken: --no-backup)\n`,
      );
    });
    const done = await cli(['--json', 'db', 'rollback', '--to', '0099', '--no-backup', '--yes'], backup);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      ok: true,
      backup: null,
      rolledBack: BILLING_GROUP_NEWEST_FIRST,
      audited: true,
    });
    expect(backup.taken).toEqual([]);
    expect((await migrationAuditRows(get().db)).at(-1)?.details).toEqual({
      rolledBack: BILLING_GROUP_NEWEST_FIRST,
      backup: null,
    });
    await forward();
  });
});
