import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { secretFingerprint, signWebhookBody } from '../src/adapters/razorpay/signature.ts';
import { runCli, startServer } from './support/cli.ts';
import { BACKENDS, migrateTestDatabase, openTestDatabase } from './support/databases.ts';
import { waitFor } from './support/wait.ts';

const envelope = (id: string) =>
  JSON.stringify({
    entity: 'event',
    account_id: 'acc_Polaris000001',
    event: 'payment.dispute.created',
    contains: ['payment'],
    payload: { payment: { entity: { id: `pay_${id}` } } },
    created_at: 1_780_000_000,
  });

// `polaris start` and each CLI run are node processes: seconds apiece on a busy machine.
describe('webhook secret rotation end to end (polaris start, the CLI, the emulator)', {
  timeout: 240_000,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-rotation-'));
  const dataDir = join(dir, 'data');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a running development server accepts the new secret and the previous one during the overlap, and secrets status counts both', async () => {
    const env = {
      POLARIS_DATA_DIR: dataDir,
      POLARIS_DB_PORT: String(await findFreePort()),
      POLARIS_EMULATOR_PORT: String(await findFreePort()),
    };
    const port = await findFreePort();
    const server = await startServer(env, port);
    const db = new pg.Client({
      connectionString: `postgresql://postgres@127.0.0.1:${env.POLARIS_DB_PORT}/postgres`,
    });
    try {
      await db.connect();
      const secretsFile = join(dataDir, 'dev-secrets.json');
      const old = JSON.parse(readFileSync(secretsFile, 'utf8')).webhookSecret as string;

      const rotated = await runCli(['--json', 'secrets', 'rotate-webhook'], env);
      expect(rotated.stderr).toBe('');
      expect(rotated.code).toBe(0);
      const stored = JSON.parse(readFileSync(secretsFile, 'utf8'));
      expect(stored.webhookSecretPrevious).toBe(old);
      const fresh = stored.webhookSecret as string;
      expect(JSON.parse(rotated.stdout)).toMatchObject({
        ok: true,
        applied: true,
        current: secretFingerprint(fresh),
        previous: secretFingerprint(old),
      });
      expect(rotated.stdout).not.toContain(fresh);
      expect(rotated.stdout).not.toContain(old);

      // The emulator now signs with the new secret; the server, not restarted, stores what it sends.
      const res = await fetch(
        `http://127.0.0.1:${env.POLARIS_EMULATOR_PORT}/_emulator/scenarios/payment-failed`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        },
      );
      expect(res.status).toBe(200);
      const byFingerprint = async (fp: string) =>
        (
          await db.query('SELECT event_id FROM razorpay_webhook_events WHERE secret_fingerprint = $1', [fp])
        ).rows.map((r) => r.event_id as string);
      await waitFor(
        async () => (await byFingerprint(secretFingerprint(fresh))).length > 0,
        30_000,
        'an event signed with the new secret',
      );

      // A delivery signed with the previous secret (a retry from before the rotation) is accepted too.
      const post = (id: string, secret: string) =>
        fetch(`http://127.0.0.1:${port}/api/webhooks/razorpay`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-razorpay-event-id': id,
            'x-razorpay-signature': signWebhookBody(envelope(id), secret),
          },
          body: envelope(id),
        });
      expect((await post('SignedWithOld01', old)).status).toBe(200);
      expect(await byFingerprint(secretFingerprint(old))).toEqual(['SignedWithOld01']);
      expect((await post('SignedWithNone1', 'whsec_nobody_has_this_one')).status).toBe(401);
      const forged = await db.query(
        "SELECT 1 FROM razorpay_webhook_events WHERE event_id = 'SignedWithNone1'",
      );
      expect(forged.rowCount).toBe(0);

      const status = await runCli(['--json', 'secrets', 'status'], env);
      expect(status.code).toBe(0);
      const report = JSON.parse(status.stdout);
      expect(
        report.secrets.map((s: { role: string; recentEvents: number }) => [s.role, s.recentEvents > 0]),
      ).toEqual([
        ['current', true],
        ['previous', true],
      ]);
      expect(report.secrets[1].recentEvents).toBe(1);
      expect(report.rotation.stage).toBe('overlap');
      expect(status.stdout).not.toContain(fresh);
      expect(status.stdout).not.toContain(old);
    } finally {
      await db.end().catch(() => {});
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('with no emulator running, rotation fails with exit 2 and one line, and dev-secrets.json is unchanged', async () => {
    const secretsFile = join(dataDir, 'dev-secrets.json');
    const before = readFileSync(secretsFile, 'utf8');
    const emulatorPort = await findFreePort();
    const r = await runCli(['secrets', 'rotate-webhook'], {
      POLARIS_DATA_DIR: dataDir,
      POLARIS_EMULATOR_PORT: String(emulatorPort),
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `polaris: no emulator answers at http://127.0.0.1:${emulatorPort}; start one with npm start or polaris emulator start`,
    );
    expect(r.stdout).toBe('');
    expect(readFileSync(secretsFile, 'utf8')).toBe(before);
  });

  it('secrets status with the database unreachable exits 2 naming the URL without its password', async () => {
    const port = await findFreePort();
    const r = await runCli(['secrets', 'status'], {
      DATABASE_URL: `postgresql://polaris:s3cret-pw@127.0.0.1:${port}/app`,
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `polaris: cannot reach the database at postgresql://polaris:***@127.0.0.1:${port}/app: connection refused`,
    );
    expect(r.stderr).not.toContain('s3cret-pw');
  });

  it('secrets status refuses an unreadable --since with exit 2', async () => {
    const r = await runCli(['secrets', 'status', '--since', 'yesterday'], { POLARIS_DATA_DIR: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'polaris: --since "yesterday": expected a window like 30m, 24h or 7d, or a past ISO date like 2026-11-29T08:00Z',
    );
  });
});

describe('polaris secrets on a configured database and in production', { timeout: 120_000 }, () => {
  const CURRENT = 'cli-status-current-secret-0001';
  const PREVIOUS = 'cli-status-previous-secret-001';

  for (const backend of BACKENDS) {
    it(`secrets status --json counts the events per configured secret [${backend}]`, async () => {
      const db = await openTestDatabase(backend);
      try {
        await migrateTestDatabase(db.db);
        const at = new Date();
        await db.db
          .insertInto('razorpay_webhook_events')
          .values(
            [CURRENT, CURRENT, PREVIOUS].map((secret, i) => ({
              event_id: `CliStatusEvent${i}`,
              event_type: 'payment.captured',
              payload: '{"entity":"event"}',
              processing_status: 'processed',
              secret_fingerprint: secretFingerprint(secret),
              created_at: new Date(at.getTime() - (3 - i) * 60_000),
            })),
          )
          .execute();
        const r = await runCli(['--json', 'secrets', 'status'], {
          DATABASE_URL: db.url,
          RAZORPAY_WEBHOOK_SECRET: CURRENT,
          RAZORPAY_WEBHOOK_SECRET_PREVIOUS: PREVIOUS,
        });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout);
        expect(
          report.secrets.map((s: { role: string; fingerprint: string; recentEvents: number }) => [
            s.role,
            s.fingerprint,
            s.recentEvents,
          ]),
        ).toEqual([
          ['current', secretFingerprint(CURRENT), 2],
          ['previous', secretFingerprint(PREVIOUS), 1],
        ]);
        expect(report.rotation.stage).toBe('overlap');
        expect(r.stdout).not.toContain(CURRENT);
        expect(r.stdout).not.toContain(PREVIOUS);
      } finally {
        await db.close();
      }
    });
  }

  it('rotate-webhook in production prints the steps, changes nothing and names the secret only by fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polaris-rotation-prod-'));
    try {
      const r = await runCli(['secrets', 'rotate-webhook'], {
        POLARIS_ENV: 'production',
        POLARIS_DATA_DIR: dir,
        RAZORPAY_KEY_ID: 'rzp_live_Q7tZk3Lm9Xp2Wd',
        RAZORPAY_KEY_SECRET: 'live-key-secret-never-printed',
        RAZORPAY_WEBHOOK_SECRET: CURRENT,
        AUTH_SECRET: 'a'.repeat(40),
        DATABASE_URL: 'postgresql://polaris:pw@127.0.0.1:1/polaris',
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        'Polaris cannot rotate this secret itself: production reads its webhook secrets from the host environment',
      );
      expect(r.stdout).toContain(
        `set RAZORPAY_WEBHOOK_SECRET_PREVIOUS to the value RAZORPAY_WEBHOOK_SECRET has now (fingerprint ${secretFingerprint(CURRENT)})`,
      );
      expect(r.stdout).not.toContain(CURRENT);
      expect(r.stdout).not.toContain('live-key-secret-never-printed');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
