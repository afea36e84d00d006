import { beforeAll, expect, it } from 'vitest';
import { loadMigrations } from '../src/adapters/db/migrator.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { createRepos } from '../src/adapters/db/repos.ts';
import { runCli } from './support/cli.ts';
import { describeEachBackend } from './support/databases.ts';

const ALL = loadMigrations().map((f) => f.name);
const LAST = ALL.at(-1)!;
const OLD = '1234567890abcdef1234567890abcdef12345678';
const NEW = 'fedcba9876543210fedcba9876543210fedcba98';
// Each CLI run starts a node process (seconds on a busy machine); these tests make several.
const CLI_TIMEOUT_MS = 240_000;

describeEachBackend('polaris deploys and rollback plan', { migrated: true }, (get) => {
  const env = () => ({ DATABASE_URL: get().url });

  beforeAll(async () => {
    const repos = createRepos(get().db);
    await repos.deployments.record({
      version: '0.0.9',
      commitSha: OLD,
      deploymentUrl: 'polaris-old.vercel.app',
      schemaVersion: ALL.at(-2)!,
      migrations: ALL.slice(0, -1),
      host: 'web-old',
    });
    await repos.deployments.record({
      version: '0.1.0',
      commitSha: NEW,
      deploymentUrl: 'polaris-new.vercel.app',
      schemaVersion: LAST,
      migrations: ALL,
      host: 'web-new',
    });
  });

  it(
    'lists the ledger newest first as a table and as JSON',
    async () => {
      const text = await runCli(['deploys'], env());
      expect(text.code).toBe(0);
      const lines = text.stdout.split('\n');
      expect(lines[1]).toMatch(
        /│ #\s+│ started \(UTC\)\s+│ version │ commit\s+│ schema\s+│ migrations │ host\s+│/,
      );
      const body = lines.filter((l) => /^│ \d/.test(l));
      expect(body).toHaveLength(2);
      expect(body[0]).toContain(`│ 0.1.0   │ ${NEW.slice(0, 12)} │ ${LAST}`);
      expect(body[1]).toContain(`│ 0.0.9   │ ${OLD.slice(0, 12)} │ ${ALL.at(-2)}`);

      const json = await runCli(['--json', 'deploys', '--limit', '1'], env());
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: true,
        deployments: [{ version: '0.1.0', commit: NEW, schema: LAST, migrations: ALL, host: 'web-new' }],
      });
      const bad = await runCli(['deploys', '--limit', 'lots'], env());
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('polaris: --limit must be 1 to 1000\n');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'answers "code only" (exit 0) for a release that knew the schema, and the full sequence with a backup first (exit 1) otherwise',
    async () => {
      const codeOnly = await runCli(['rollback', 'plan', '--to', NEW.slice(0, 8)], env());
      expect(codeOnly.code).toBe(0);
      expect(codeOnly.stdout).toContain('Code-only rollback is safe:');
      expect(codeOnly.stdout).toContain('vercel rollback polaris-new.vercel.app');

      const full = await runCli(['rollback', 'plan', '--to', 'v0.0.9'], env());
      expect(full.code).toBe(1);
      const lines = full.stdout.split('\n');
      expect(lines).toContain(
        `The database is ahead of it: 1 migration applied that it never knew (${LAST}).`,
      );
      // The plan names what undoing the newest migration drops, whatever that migration is; one
      // that only adds indexes (0105_page_indexes) drops no data, and then no line says so.
      const named = lines.findIndex((l) => l.trim() === LAST);
      expect(named).toBeGreaterThan(0);
      const next = lines[named + 1] ?? '';
      if (/^\s{4}/.test(next)) expect(next).toMatch(/^\s+drops (table|columns|functions) /);
      const backup = lines.indexOf(
        '  1. Back up first (the same on PostgreSQL and the embedded database; it prints the backup id):',
      );
      const undo = lines.indexOf(`       npx polaris db rollback --only ${LAST} --no-backup --yes`);
      const deploy = lines.indexOf('       Vercel:     vercel rollback polaris-old.vercel.app');
      expect(backup).toBeGreaterThan(0);
      expect(undo).toBeGreaterThan(backup);
      expect(deploy).toBeGreaterThan(undo);

      const json = await runCli(['--json', 'rollback', 'plan', '--to', OLD.slice(0, 10)], env());
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: true,
        codeOnly: false,
        ahead: [LAST],
        target: { commit: OLD, version: '0.0.9' },
      });
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'exits 2 for an unknown target, a missing --to and an unreachable database, naming the redacted URL',
    async () => {
      const unknown = await runCli(['rollback', 'plan', '--to', '7.7.7'], env());
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe(
        'polaris: no deployment recorded for "7.7.7" (a commit or a version); polaris deploys lists the recorded ones\n',
      );
      const missing = await runCli(['rollback', 'plan'], env());
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("required option '--to <target>' not specified");

      const both = await runCli(['db', 'rollback', '--to', '0099', '--only', LAST], env());
      expect(both.code).toBe(2);
      expect(both.stderr).toBe(
        'polaris: name the rollback with --to <last to keep> or --only <names>, not both\n',
      );

      const port = await findFreePort();
      const down = { DATABASE_URL: `postgresql://polaris:s3cret-pw@127.0.0.1:${port}/app` };
      for (const args of [['deploys'], ['rollback', 'plan', '--to', '0.1.0']]) {
        const r = await runCli(args, down);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toContain(
          `cannot reach the database at postgresql://polaris:***@127.0.0.1:${port}/app`,
        );
        expect(r.stderr).not.toContain('s3cret-pw');
      }
    },
    CLI_TIMEOUT_MS,
  );
});
