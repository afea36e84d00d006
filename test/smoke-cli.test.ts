import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { embeddedUrl } from '../src/adapters/db/embedded.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { runCli, startServer } from './support/cli.ts';
import { BACKENDS } from './support/databases.ts';
import { findAll, parseXml } from './support/xml.ts';

const SMOKE = { SMOKE_EMAIL: 'smoke@example.com', SMOKE_PASSWORD: 'smoke-password-0123' };
type Step = { name: string; status: string; detail: string; durationMs: number };

// Each backend runs a real `polaris start` (embedded emulator, worker, webhooks) and the CLI beside it.
for (const backend of BACKENDS) {
  describe(`polaris smoke against polaris start [${backend}]`, { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), `polaris-smoke-${backend}-`));
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    let env: Record<string, string> = {};
    let url = '';
    let dbUrl = '';

    const query = async <T>(text: string, values: unknown[] = []): Promise<T[]> => {
      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as T[];
      } finally {
        await client.end();
      }
    };
    const smoke = (args: string[], extra: Record<string, string> = SMOKE) =>
      runCli(['smoke', '--url', url, ...args], { ...env, ...extra }, 120_000);

    beforeAll(async () => {
      env = { POLARIS_DATA_DIR: join(dir, 'data'), POLARIS_EMULATOR_PORT: String(await findFreePort()) };
      if (backend === 'postgres') {
        const name = `polaris_smoke_${Date.now()}`;
        execFileSync('psql', [inject('pgUrl'), '-qc', `CREATE DATABASE ${name}`]);
        env.DATABASE_URL = inject('pgUrl').replace(/\/postgres$/, `/${name}`);
        dbUrl = env.DATABASE_URL;
      } else {
        env.POLARIS_DB_PORT = String(await findFreePort());
        dbUrl = embeddedUrl(Number(env.POLARIS_DB_PORT));
      }
      const port = await findFreePort();
      url = `http://127.0.0.1:${port}`;
      // Sign-in checks the Origin against PUBLIC_BASE_URL: smoke the URL the instance knows as its own.
      server = await startServer({ ...env, PUBLIC_BASE_URL: url }, port, 180_000);
      const created = await runCli(
        ['users', 'create', '--email', SMOKE.SMOKE_EMAIL, '--password', SMOKE.SMOKE_PASSWORD],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
    }, 300_000);
    afterAll(() => {
      server?.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('the read-only run passes every step, times each, and is recorded in smoke_runs', async () => {
      const run = await smoke(['--json']);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as {
        ok: boolean;
        steps: Step[];
        recording: { recorded: boolean };
      };
      const byName = Object.fromEntries(report.steps.map((s) => [s.name, s]));
      for (const name of [
        'health',
        'readiness',
        'plans',
        'pricing page',
        'sign-in round trip',
        'webhook refuses unsigned',
        'status page',
      ]) {
        expect(byName[name], name).toMatchObject({ status: 'pass', durationMs: expect.any(Number) });
      }
      expect(report.recording.recorded).toBe(true);
      const rows = await query<{ ok: boolean; url: string; failed: number }>(
        'SELECT ok, url, failed FROM smoke_runs',
      );
      expect(rows).toEqual([{ ok: true, url: `${url}/`, failed: 0 }]);
    });

    it('without a smoke account the sign-in step is skipped with its reason, not passed', async () => {
      const run = await smoke(['--no-record'], {});
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/– sign-in round trip.*SMOKE_EMAIL and SMOKE_PASSWORD are not set/);
      expect(run.stdout).toContain('not recorded: --no-record');
    });

    it('--full buys through the emulator, then leaves the subscription cancelled and its payment refunded', async () => {
      const run = await smoke(['--full', '--json']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { steps: Step[] };
      expect(report.steps.filter((s) => s.name.startsWith('purchase:')).map((s) => s.status)).toEqual([
        'pass',
        'pass',
        'pass',
        'pass',
      ]);
      const subs = await query<{ status: string }>(
        `SELECT s.status FROM subscriptions s JOIN user_profiles u ON u.user_id = s.user_id WHERE u.email = $1`,
        [SMOKE.SMOKE_EMAIL],
      );
      expect(subs).toEqual([{ status: 'cancelled' }]);
      const payments = await query<{ status: string; amount: number; amount_refunded: number }>(
        `SELECT p.status, p.amount, p.amount_refunded FROM payments p JOIN user_profiles u ON u.user_id = p.user_id WHERE u.email = $1`,
        [SMOKE.SMOKE_EMAIL],
      );
      expect(payments).toHaveLength(1);
      expect(payments[0]).toMatchObject({ status: 'refunded' });
      expect(payments[0]?.amount_refunded).toBe(payments[0]?.amount);
    });

    it('restore-check: every item of the checklist holds on the served instance after the smoke runs', async () => {
      const run = await runCli(['restore-check', '--url', url, '--json'], env);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { items: { name: string; status: string; detail: string }[] };
      const status = Object.fromEntries(report.items.map((i) => [i.name, i.status]));
      expect(status).toEqual({
        'health and readiness': 'pass',
        'payments on, no maintenance or read-only': 'pass',
        'webhook backlog drained': 'pass',
        'payment failure rate (15 min) under 5 %': 'pass',
        'db verify clean': 'pass',
        'smoke run passed within the last hour': 'pass',
        'no open Critical incident': 'pass',
      });
    });
  });
}

// Refusals and an unreachable instance need no server: the CLI stops before (or without) one.
describe('polaris smoke refusals and failures', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-smoke-refusals-'));
  const env = { POLARIS_DATA_DIR: join(dir, 'data') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--full refuses live keys with exit 2 before anything is bought', async () => {
    const run = await runCli(['smoke', '--url', 'http://127.0.0.1:9', '--full', '--no-record'], {
      ...env,
      ...SMOKE,
      RAZORPAY_KEY_ID: 'rzp_live_SmokeRefusal01',
      RAZORPAY_KEY_SECRET: 'live-secret-0123456789',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refuses live keys (rzp_live_)');
  });

  it('a URL with nothing listening exits 1 naming the failed steps; the JUnit file parses and carries them', async () => {
    const nothing = `http://127.0.0.1:${await findFreePort()}`;
    const file = join(dir, 'smoke.xml');
    const run = await runCli(['smoke', '--url', nothing, '--junit', file, '--no-record'], {
      ...env,
      ...SMOKE,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ health.*ECONNREFUSED/);
    expect(run.stdout).toMatch(/✗ readiness/);
    const suite = findAll(parseXml(readFileSync(file, 'utf8')), 'testsuite')[0]!;
    expect(Number(suite.attrs.tests)).toBe(7);
    expect(Number(suite.attrs.failures)).toBe(7);
    const health = findAll(suite, 'testcase').find((c) => c.attrs.name === 'health')!;
    expect(findAll(health, 'failure')[0]?.attrs.message).toContain('ECONNREFUSED');
    expect(health.attrs.time).toEqual(expect.any(String));
  });

  it('a bad or missing --url exits 2 with the reason', async () => {
    for (const [args, reason] of [
      [['smoke', '--url', 'ftp://example.com'], '--url must use http or https'],
      [['smoke', '--url', 'not a url'], '--url must be an http(s) base URL'],
      [['smoke'], '--url is required'],
      [
        ['smoke', '--url', 'http://127.0.0.1:9', '--json', '--junit', 'x.xml'],
        'choose one of --json and --junit',
      ],
    ] as const) {
      const run = await runCli([...args], env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr + run.stdout).toContain(reason);
    }
  });

  it('restore-check with an unreachable database exits 2 naming it', async () => {
    const gone = `postgresql://postgres@127.0.0.1:${await findFreePort()}/gone`;
    const run = await runCli(['restore-check', '--url', 'http://127.0.0.1:9'], {
      ...env,
      DATABASE_URL: gone,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot reach the database');
  });
});
