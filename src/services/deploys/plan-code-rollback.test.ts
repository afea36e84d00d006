import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { loadMigrations, Migrator } from '../../adapters/db/migrator.ts';
import { createRepos } from '../../adapters/db/repos.ts';
import { AppError } from '../../domain/errors.ts';
import { findDeployment } from './find-deployment.ts';
import { listDeployments } from './list-deployments.ts';
import { planCodeRollback } from './plan-code-rollback.ts';
import { recordDeployment } from './record-deployment.ts';

const ALL = loadMigrations().map((f) => f.name);
const LAST = ALL.at(-1)!;
// The older release predates the refunds table, so its plan must undo 0102_refunds and all after.
const OLD_KNEW = ALL.filter((name) => name < '0102');
const AHEAD = ALL.filter((name) => name >= '0102');
const OLD_COMMIT = 'a'.repeat(40);
const NEW_COMMIT = 'b'.repeat(12);

describeEachBackend('deployments and the rollback plan', { migrated: true }, (get) => {
  const ctx = () => ({
    repos: createRepos(get().db),
    migrations: new Migrator(get().db),
    database: { kind: 'postgres' as const, ping: async () => {} },
  });

  beforeAll(async () => {
    // An older release that never knew the refunds migration, recorded as its start would have.
    await createRepos(get().db).deployments.record({
      version: '0.0.9',
      commitSha: OLD_COMMIT,
      deploymentUrl: 'polaris-old.vercel.app',
      schemaVersion: OLD_KNEW.at(-1)!,
      migrations: OLD_KNEW,
      host: 'old-host',
    });
  });

  it('records a start with the version, commit, every applied migration and the last as the schema', async () => {
    const recorded = await recordDeployment({
      ctx: ctx(),
      input: { build: { version: '0.1.0', commit: NEW_COMMIT, deploymentUrl: null }, host: 'web-1' },
    });
    expect(recorded).toMatchObject({
      ok: true,
      value: { version: '0.1.0', commit: NEW_COMMIT, schema: LAST, migrations: ALL, host: 'web-1' },
    });
    const listed = await listDeployments({ ctx: ctx(), input: { limit: 10 } });
    expect(listed.map((d) => [d.version, d.commit, d.host])).toEqual([
      ['0.1.0', NEW_COMMIT, 'web-1'],
      ['0.0.9', OLD_COMMIT, 'old-host'],
    ]);
    expect((await listDeployments({ ctx: ctx(), input: { limit: 1 } })).length).toBe(1);
  });

  it('says the code alone can go back to a release that knew every applied migration', async () => {
    const plan = await planCodeRollback({ ctx: ctx(), input: { to: NEW_COMMIT.slice(0, 7) } });
    expect(plan).toMatchObject({
      ok: true,
      value: { codeOnly: true, applied: ALL, notApplied: [], target: { commit: NEW_COMMIT } },
    });
  });

  it('names the migrations ahead of an older release, the tables they drop with their rows, and changes nothing', async () => {
    const rows = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM refunds`.execute(get().db)).rows[0]!.n,
    );
    for (const to of [OLD_COMMIT.slice(0, 9), '0.0.9', 'v0.0.9']) {
      const plan = await planCodeRollback({ ctx: ctx(), input: { to } });
      expect(plan.ok, to).toBe(true);
      if (!plan.ok || plan.value.codeOnly) throw new Error(`expected a full rollback for ${to}`);
      expect(plan.value.target).toMatchObject({ version: '0.0.9', commit: OLD_COMMIT });
      expect(plan.value.ahead).toEqual(AHEAD);
      expect(plan.value.undo.undo.map((u) => u.name)).toEqual([...AHEAD].reverse());
      expect(plan.value.undo.undo).toContainEqual(
        expect.objectContaining({ name: '0102_refunds', tables: [{ name: 'refunds', rows }] }),
      );
    }
    expect((await new Migrator(get().db).status()).every((s) => s.state === 'applied')).toBe(true);
  });

  it('refuses an unknown target with not_found naming polaris deploys, and an ambiguous prefix with bad_request', async () => {
    await expect(findDeployment({ ctx: ctx(), input: { target: 'cafebabe' } })).rejects.toThrow(
      new AppError(
        'not_found',
        'no deployment recorded for "cafebabe" (a commit or a version); polaris deploys lists the recorded ones',
      ),
    );
    await expect(planCodeRollback({ ctx: ctx(), input: { to: '9.9.9' } })).rejects.toMatchObject({
      code: 'not_found',
    });
    await createRepos(get().db).deployments.record({
      version: '0.1.0',
      commitSha: `${NEW_COMMIT.slice(0, 7)}ccccc`,
      deploymentUrl: null,
      schemaVersion: LAST,
      migrations: ALL,
      host: 'web-2',
    });
    await expect(
      findDeployment({ ctx: ctx(), input: { target: NEW_COMMIT.slice(0, 7) } }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/give more digits$/) });
  });

  it('fails as a Result, not a crash, when the ledger cannot take the start', async () => {
    const broken = { ...ctx(), repos: createRepos(get().db) };
    await sql`ALTER TABLE deployments RENAME TO deployments_away`.execute(get().db);
    try {
      const result = await recordDeployment({
        ctx: broken,
        input: { build: { version: '0.1.0', commit: null, deploymentUrl: null }, host: 'web-1' },
      });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.message).toMatch(
          /^deployment not recorded \(.+\); polaris db status shows the schema$/,
        );
      }
    } finally {
      await sql`ALTER TABLE deployments_away RENAME TO deployments`.execute(get().db);
    }
  });
});
