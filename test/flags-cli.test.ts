import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { cliActor } from '../src/interfaces/cli/actor.ts';
import { runCli } from './support/cli.ts';
import { BACKENDS, type Backend } from './support/databases.ts';

type Flag = {
  name: string;
  state: string;
  active: boolean;
  actor: string;
  reason: string;
  expiresAt: string | null;
};

/** The environment of a CLI on each backend: its own embedded folder, or its own PostgreSQL database. */
async function cliEnvFor(backend: Backend, dir: string): Promise<Record<string, string>> {
  if (backend === 'pglite') {
    return { POLARIS_DATA_DIR: join(dir, 'data'), POLARIS_DB_PORT: String(await findFreePort()) };
  }
  const admin = inject('pgUrl');
  const name = `polaris_flags_cli_${Date.now()}`;
  execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
  return { DATABASE_URL: admin.replace(/\/postgres$/, `/${name}`) };
}

// Each CLI run starts a node process (and on PGlite opens the folder): seconds apiece on a busy machine.
for (const backend of BACKENDS) {
  describe(`polaris flags, payments, maintenance, readonly and emergency [${backend}]`, {
    timeout: 400_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'polaris-flags-cli-'));
    let env: Record<string, string> = {};
    const cli = (...args: string[]) => runCli(args, env);
    const flags = async () => {
      const r = await cli('flags', '--json');
      expect(r.code, r.stderr).toBe(0);
      return Object.fromEntries((JSON.parse(r.stdout).flags as Flag[]).map((f) => [f.name, f]));
    };

    beforeAll(async () => {
      env = await cliEnvFor(backend, dir);
      // Creating a PGlite folder takes over a minute on a loaded machine.
      expect((await runCli(['db', 'migrate'], env, 240_000)).code).toBe(0);
    }, 300_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('sets a flag for a while, shuts everything down in one command and lifts it, each change by the OS user', async () => {
      const off = await cli('payments', 'off', '--reason', 'card testing attack', '--for', '30m');
      expect(off.code, off.stderr).toBe(0);
      expect(off.stdout).toMatch(
        /^payments off \(was on\) until \S+Z \(reverts by itself\)\n {2}reason: card testing attack\n {2}by: {5}cli:/,
      );
      const listed = await cli('flags');
      expect(listed.stdout).toMatch(/│ payments +│ off +│ cli:\S+ +│ card testing attack +│ \S+Z +│ \S+Z +│/);
      expect(listed.stdout).toContain('active modes: payments\n');

      const shutdown = await cli('emergency', 'shutdown', '--reason', 'suspected breach');
      expect(shutdown.code, shutdown.stderr).toBe(0);
      expect(shutdown.stdout.split('\n').slice(0, 5)).toEqual([
        `emergency shutdown by ${cliActor()}: payments off, maintenance on, read-only on (one transaction, one audit entry)`,
        '  payments     off (already)',
        '  maintenance  off → on',
        '  read-only    off → on',
        expect.stringMatching(
          /^opened critical incident INC-(\d+): Emergency shutdown: suspected breach \(polaris incident ack \1\)$/,
        ),
      ]);
      const down = await flags();
      expect(Object.values(down).map((f) => [f.active, f.reason, f.expiresAt])).toEqual([
        [true, 'suspected breach', null],
        [true, 'suspected breach', null],
        [true, 'suspected breach', null],
      ]);

      const lift = await cli('emergency', 'lift', '--reason', 'all clear');
      expect(lift.code, lift.stderr).toBe(0);
      expect(lift.stdout).toContain('  read-only    on → off\n');
      expect(lift.stdout).toMatch(
        /^timeline entry added to INC-\d+; still open: resolve once service is confirmed/m,
      );
      const open = await cli('incident', 'list', '--open', '--json');
      expect(JSON.parse(open.stdout).incidents).toEqual([
        expect.objectContaining({ severity: 'critical', type: 'infrastructure', status: 'investigating' }),
      ]);
      expect(Object.values(await flags()).some((f) => f.active)).toBe(false);

      const maintenance = await cli('maintenance', 'on', '--message', 'Back at 14:00', '--reason', 'upgrade');
      expect(maintenance.stdout).toContain('  message: Back at 14:00\n');
    });

    it('refuses a missing reason, an unknown flag and an unreadable --for with exit 2, changing nothing', async () => {
      const before = await flags();
      const cases: [string[], string][] = [
        [['readonly', 'on'], 'polaris: reason: required; say why (it goes to the audit log)\n'],
        [['emergency', 'shutdown'], 'polaris: reason: required; say why (it goes to the audit log)\n'],
        [
          ['flags', 'set', 'payment', 'off', '--reason', 'x'],
          "polaris: unknown flag 'payment'; the flags are payments, maintenance, read_only\n",
        ],
        [
          ['payments', 'off', '--reason', 'x', '--for', 'half an hour'],
          "polaris: for: cannot read 'half an hour'; use a duration like 90s, 30m, 2h, 1d or 1h30m (at most 30d)\n",
        ],
      ];
      for (const [args, stderr] of cases) {
        const r = await cli(...args);
        expect([r.code, r.stderr], args.join(' ')).toEqual([2, stderr]);
      }
      expect(await flags()).toEqual(before);
    });
  });
}

describe('flag commands while the database is unreachable', { timeout: 120_000 }, () => {
  it.each([
    [['flags']],
    [['payments', 'off', '--reason', 'x']],
    [['emergency', 'shutdown', '--reason', 'x']],
  ])('%j exits 2 naming the URL without its password', async (args) => {
    const port = await findFreePort();
    const r = await runCli(args, { DATABASE_URL: `postgresql://polaris:s3cret-pw@127.0.0.1:${port}/app` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot reach the database at postgresql://polaris:***@127.0.0.1:${port}/app`);
    expect(r.stderr).not.toContain('s3cret-pw');
  });
});
