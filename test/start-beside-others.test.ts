import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { signWebhookBody } from '../src/adapters/razorpay/signature.ts';
import { startServer } from './support/cli.ts';
import { openPsql } from './support/psql.ts';

const run = promisify(execFile);
const SECRETS = {
  RAZORPAY_KEY_ID: 'rzp_test_SecondInstance1',
  RAZORPAY_KEY_SECRET: 'second-instance-key-secret',
  RAZORPAY_WEBHOOK_SECRET: 'second-instance-webhook-secret',
  AUTH_SECRET: 'second-instance-auth-secret-0123456789abcdef',
};

/** POSTs a well-signed event of a type Polaris does not apply: stored as `skipped`, answered 200. */
async function postEvent(port: number, eventId: string): Promise<number> {
  const body = JSON.stringify({
    entity: 'event',
    account_id: 'acc_BesideOthers01',
    event: 'payment.dispute.created',
    contains: [],
    payload: {},
    created_at: Math.floor(Date.now() / 1000),
  });
  const res = await fetch(`http://127.0.0.1:${port}/api/webhooks/razorpay`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-razorpay-event-id': eventId,
      'x-razorpay-signature': signWebhookBody(body, SECRETS.RAZORPAY_WEBHOOK_SECRET),
    },
    body,
  });
  return res.status;
}

const dir = mkdtempSync(join(tmpdir(), 'polaris-beside-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a second instance with all its settings in env and no data folder', () => {
  it('starts beside the first one on the same PostgreSQL, creating its folder', async () => {
    const admin = inject('pgUrl');
    const name = `polaris_second_${Date.now()}`;
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
    const shared = { ...SECRETS, DATABASE_URL: admin.replace(/\/postgres$/, `/${name}`) };
    const emulatorPort = await findFreePort();
    const firstPort = await findFreePort();
    const first = await startServer(
      { ...shared, POLARIS_DATA_DIR: join(dir, 'first'), POLARIS_EMULATOR_PORT: String(emulatorPort) },
      firstPort,
    );
    const missing = join(dir, 'not-yet', 'data');
    try {
      const secondPort = await findFreePort();
      const second = await startServer(
        { ...shared, POLARIS_DATA_DIR: missing, RAZORPAY_API_URL: `http://127.0.0.1:${emulatorPort}` },
        secondPort,
      );
      try {
        expect(existsSync(missing)).toBe(true);
        expect(await postEvent(secondPort, 'SecondInstance01')).toBe(200);
        expect(await postEvent(firstPort, 'SecondInstance01')).toBe(200); // the same inbox: a duplicate
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});

describe('outside clients beside polaris start on the embedded database', () => {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let port = 0;
  let dbUrl = '';
  const inbox = async () =>
    (
      await run('psql', [dbUrl, '-XAtc', 'SELECT event_id FROM public.razorpay_webhook_events ORDER BY 1'])
    ).stdout
      .trim()
      .split('\n');

  beforeAll(async () => {
    const dbPort = await findFreePort();
    port = await findFreePort();
    dbUrl = `postgresql://postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`;
    server = await startServer(
      {
        ...SECRETS,
        POLARIS_DATA_DIR: join(dir, 'embedded'),
        POLARIS_DB_PORT: String(dbPort),
        POLARIS_EMULATOR_PORT: String(await findFreePort()),
      },
      port,
      120_000, // a fresh folder runs initdb, slow on a busy machine
    );
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
  });

  it('pg_dump 15 blanking search_path before it aborts on the version mismatch leaves the server working', async () => {
    const dump = await run('pg_dump', ['--schema-only', dbUrl]).catch((error) => error);
    expect(dump.code).toBe(1);
    expect(dump.stderr).toMatch(/server version mismatch/);
    const ready = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
    expect(await ready.json()).toMatchObject({ ok: true, checks: { migrations: { ok: true } } });
    expect(await postEvent(port, 'AfterPgDump01')).toBe(200);
    expect(await inbox()).toContain('AfterPgDump01');
  });

  it('a psql that blanks search_path and shadows the inbox with a temp table, still connected, diverts nothing', async () => {
    const psql = openPsql(dbUrl);
    psql.send(`SET search_path = ''; CREATE TEMP TABLE razorpay_webhook_events (event_id text);`);
    psql.send(`SELECT 'shadow-' || 'ready';`);
    await psql.waitFor('shadow-ready');
    expect(await postEvent(port, 'BesidePsql0001')).toBe(200);
    expect(await inbox()).toContain('BesidePsql0001');
    const ready = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect((await psql.end()).code).toBe(0);
  });
});
