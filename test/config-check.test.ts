import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { createEmulator, type Emulator, type EmulatorServer } from '../src/emulator/create-emulator.ts';
import { runCli } from './support/cli.ts';
import { BACKENDS, migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';

// Well-formed live-looking keys: the original product's validator refused keys like these.
const KEY_ID = 'rzp_live_Q7tZk3Lm9Xp2Wd';
const SECRETS = {
  RAZORPAY_KEY_SECRET: 'kEySeCrEt-never-printed-0001',
  RAZORPAY_WEBHOOK_SECRET: 'wHsEcReT-never-printed-0002',
  AUTH_SECRET: 'aUtHsEcReT-never-printed-0003-0123456789',
  ADMIN_TOKEN: 'aDmInToKeN-never-printed-0004-0123456789',
};
const DB_PASSWORD = 'dBpAsS-never-printed-0005';

/** Asserts no secret value (nor the database password) appears anywhere in the output. */
function expectNoSecret(r: { stdout: string; stderr: string }) {
  for (const value of [...Object.values(SECRETS), DB_PASSWORD]) {
    expect(r.stdout + r.stderr).not.toContain(value);
  }
}

const lines = (stdout: string) => stdout.trim().split('\n');

// Each case runs `polaris config check` as a node process: seconds apiece on a busy machine.
describe('polaris config check', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-config-check-'));
  let emulator: Emulator;
  let api: EmulatorServer;
  let smtp: Server;
  let smtpPort = 0;

  beforeAll(async () => {
    emulator = createEmulator({ keyId: KEY_ID, keySecret: SECRETS.RAZORPAY_KEY_SECRET });
    api = await emulator.listen(0);
    smtp = createServer((socket) => {
      // The check hangs up right after connecting; a reset here is expected.
      socket.on('error', () => {});
      socket.end('220 test ESMTP\r\n');
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.address() as { port: number }).port;
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise((resolve) => smtp.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const productionEnv = (databaseUrl: string) => ({
    POLARIS_ENV: 'production',
    POLARIS_DATA_DIR: join(dir, 'data'),
    RAZORPAY_KEY_ID: KEY_ID,
    ...SECRETS,
    RAZORPAY_API_URL: api.url,
    PUBLIC_BASE_URL: 'https://billing.example.com',
    DATABASE_URL: databaseUrl,
    SMTP_URL: `smtp://mailer:${DB_PASSWORD}@127.0.0.1:${smtpPort}`,
  });

  /** The database URL with a password the check must never print (PGlite and PostgreSQL ignore it). */
  const withPassword = (url: string) => {
    const u = new URL(url);
    u.password = DB_PASSWORD;
    return u.toString();
  };

  for (const backend of BACKENDS) {
    describe(`against a database [${backend}]`, () => {
      let db: TestDatabase;
      beforeAll(async () => {
        db = await openTestDatabase(backend);
        await migrateTestDatabase(db.db);
      });
      afterAll(async () => {
        await db?.close();
      });

      it('passes a complete production configuration: every line ✓, exit 0, no secret in text or JSON', async () => {
        const env = productionEnv(withPassword(db.url));
        const text = await runCli(['config', 'check', '--env', 'production'], env);
        expect(text.stderr).toBe('');
        expect(text.code).toBe(0);
        expect(
          lines(text.stdout)
            .slice(0, -1)
            .every((l) => l.startsWith('✓ ')),
        ).toBe(true);
        expect(text.stdout).toContain(
          '✓ RAZORPAY_KEY_ID: a live key id (rzp_live_ and 14 letters or digits)',
        );
        expect(text.stdout).toMatch(
          /✓ DATABASE_URL: postgresql:\/\/\w+:\*\*\*@127\.0\.0\.1:\d+\/\S+: reachable, \d+ migrations applied, schema current/,
        );
        expect(text.stdout).toContain(`✓ SMTP_URL: 127.0.0.1:${smtpPort} accepts connections`);
        expect(text.stdout).toContain(
          `✓ Razorpay API: GET ${api.url}/v1/plans?count=1 answered 200 with the keys (live mode)`,
        );
        expect(lines(text.stdout).at(-1)).toBe('configuration ready for production');
        expectNoSecret(text);

        const json = await runCli(['--json', 'config', 'check', '--env', 'production'], env);
        expect(json.code).toBe(0);
        const report = JSON.parse(json.stdout);
        expect(report).toMatchObject({ ok: true, target: 'production' });
        expect(report.checks.map((c: { name: string }) => c.name)).toEqual([
          'POLARIS_ENV',
          'RAZORPAY_KEY_ID',
          'RAZORPAY_KEY_SECRET',
          'RAZORPAY_WEBHOOK_SECRET',
          'AUTH_SECRET',
          'PUBLIC_BASE_URL',
          'ADMIN_TOKEN',
          'DATABASE_URL',
          'SMTP_URL',
          'Razorpay API',
        ]);
        expectNoSecret(json);
      });

      it('fails on a database with migrations pending, and on keys Razorpay refuses (naming the 401)', async () => {
        const fresh = await openTestDatabase(backend);
        try {
          const env = {
            ...productionEnv(withPassword(fresh.url)),
            RAZORPAY_KEY_SECRET: 'wrong-key-secret-0009',
          };
          const r = await runCli(['config', 'check', '--env', 'production'], env);
          expect(r.code).toBe(1);
          expect(r.stdout).toMatch(
            /✗ DATABASE_URL: postgresql:\/\/\S+:\*\*\*@\S+: reachable, migrations not current \(0001_\w+ pending, .*\) → run npx polaris db status, then npx polaris db migrate/,
          );
          expect(r.stdout).toContain(
            `✗ Razorpay API: GET ${api.url}/v1/plans answered 401 (Authentication failed): Razorpay refuses this key id and secret → copy the key id and secret together`,
          );
          expect(lines(r.stdout).at(-1)).toBe('2 checks failed for production');
          expect(r.stdout).not.toContain('wrong-key-secret-0009');
          expectNoSecret(r);
        } finally {
          await fresh.close();
        }
      });
    });
  }

  it('reports an unreachable database (and SMTP server) as ✗ with the redacted URL, exit 1', async () => {
    const [dbPort, mailPort] = [await findFreePort(), await findFreePort()];
    const env = {
      ...productionEnv(`postgresql://polaris:${DB_PASSWORD}@127.0.0.1:${dbPort}/polaris`),
      SMTP_URL: `smtp://127.0.0.1:${mailPort}`,
    };
    const r = await runCli(['config', 'check', '--env', 'production', '--offline'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expectNoSecret(r);
    expect(r.stdout).toContain(
      `✗ DATABASE_URL: cannot reach the database at postgresql://polaris:***@127.0.0.1:${dbPort}/polaris: connection refused → `,
    );
    expect(r.stdout).toContain(`✗ SMTP_URL: 127.0.0.1:${mailPort}: ECONNREFUSED → `);
    expect(r.stdout).toContain('– Razorpay API: not contacted (--offline)');

    const json = await runCli(['--json', 'config', 'check', '--env', 'production', '--offline'], env);
    expect(json.code).toBe(1);
    const database = JSON.parse(json.stdout).checks.find((c: { name: string }) => c.name === 'DATABASE_URL');
    expect(database).toMatchObject({ status: 'fail', detail: expect.stringContaining('polaris:***@') });
    expectNoSecret(json);
  });

  it('reports each variable that does not parse as ✗ instead of stopping at the first, never echoing it', async () => {
    const env = {
      POLARIS_ENV: 'production',
      POLARIS_DATA_DIR: join(dir, 'data'),
      PORT: 'eighty',
      RAZORPAY_KEY_ID: 'rzp_live_not-a-key',
      RAZORPAY_KEY_SECRET: SECRETS.RAZORPAY_KEY_SECRET,
      AUTH_SECRET: 'too-short-auth-secret',
      ADMIN_TOKEN: SECRETS.ADMIN_TOKEN,
    };
    const r = await runCli(['config', 'check', '--env', 'production', '--offline'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout).filter((l) => l.includes('cannot be read'))).toEqual([
      '✗ PORT: cannot be read: Invalid input: expected number, received NaN → correct PORT (README: Configuration)',
      '✗ RAZORPAY_KEY_ID: cannot be read: must look like rzp_test_… or rzp_live_… → correct RAZORPAY_KEY_ID (README: Configuration)',
      '✗ AUTH_SECRET: cannot be read: must be at least 32 characters → correct AUTH_SECRET (README: Configuration)',
    ]);
    expect(r.stdout).toContain('✗ RAZORPAY_WEBHOOK_SECRET: not set → ');
    expect(r.stdout).toContain('✗ DATABASE_URL: not set: production would have no database');
    expect(r.stdout).not.toMatch(/eighty|not-a-key|too-short-auth-secret/);
    expectNoSecret(r);

    const json = await runCli(['--json', 'config', 'check', '--env', 'production', '--offline'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).ok).toBe(false);
    expect(json.stdout).not.toMatch(/eighty|not-a-key|too-short-auth-secret/);
    expectNoSecret(json);
  });

  it('relaxes the rules for development: test keys, http and the embedded database pass', async () => {
    const r = await runCli(['config', 'check', '--env', 'development', '--offline'], {
      POLARIS_DATA_DIR: join(dir, 'dev'),
      RAZORPAY_KEY_ID: 'rzp_test_EmuLat0rKey0001',
      RAZORPAY_KEY_SECRET: SECRETS.RAZORPAY_KEY_SECRET,
      PUBLIC_BASE_URL: 'http://localhost:3000',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ RAZORPAY_KEY_ID: a test key id');
    expect(r.stdout).toContain('✓ DATABASE_URL: unset: the embedded database in the data folder');
    expect(lines(r.stdout).at(-1)).toBe('configuration ready for development');
    expectNoSecret(r);
  });

  it('refuses an unknown --env with exit 2 and one line', async () => {
    const r = await runCli(['config', 'check', '--env', 'staging'], { POLARIS_DATA_DIR: join(dir, 'data') });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('polaris: --env must be development, test or production; got "staging"\n');
  });
});
