import { userInfo } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCliWith } from '../../../../test/support/cli-in-process.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend } from '../../../../test/support/databases.ts';
import { createSubscription, createUser } from '../../../../test/support/seed.ts';

describeEachBackend('polaris db verify', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('exits 0 on a clean database with a table of every check and "clean"', async () => {
    const r = await runCliWith(t.ctx, ['db', 'verify']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ +│ every table, column, function and trigger/);
    expect(r.stdout).toMatch(/a user with two live subscriptions/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('db verify: clean');
  });

  it('exits 1 naming the failed check, its count and ids; --json gives the same report', async () => {
    const user = await createUser(get().db, 'tier@example.com');
    const sub = await createSubscription(get().db, user, { tier: 'explorer', status: 'active' });
    await get()
      .db.updateTable('user_profiles')
      .set({ subscription_tier: 'armada' })
      .where('user_id', '=', user)
      .execute();
    const r = await runCliWith(t.ctx, ['db', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`✗ +│ runbook: an active subscription's tier .*│ error +│ 1 +│ ${sub}`),
    );
    expect(r.stdout).toContain('polaris db verify --fix re-derives the tier');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('db verify: 2 checks of severity error failed');

    const j = await runCliWith(t.ctx, ['--json', 'db', 'verify']);
    expect(j.code).toBe(1);
    const report = JSON.parse(j.stdout) as {
      ok: boolean;
      checks: { name: string; count: number; sampleIds: string[] }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'profile_tier_mismatch')).toMatchObject({
      count: 1,
      sampleIds: [user],
      severity: 'error',
    });
  });

  it('--fix repairs it, audited as the CLI user, and exits 0; verify is clean after', async () => {
    const r = await runCliWith(t.ctx, ['db', 'verify', '--fix']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `repaired: 1 tiers re-derived, 0 stuck events released, 0 usage counters recounted (audited as cli:${userInfo().username})`,
    );
    const audit = await get().db.selectFrom('audit_log').select(['actor', 'action']).execute();
    expect(audit).toContainEqual({ actor: `cli:${userInfo().username}`, action: 'verify.rederive_tier' });
    expect((await runCliWith(t.ctx, ['db', 'verify'])).code).toBe(0);
  });
});
