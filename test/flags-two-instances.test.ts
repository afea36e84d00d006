import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { createEmulator, type Emulator } from '../src/emulator/create-emulator.ts';
import { runCli, startServer } from './support/cli.ts';
import { TEST_KEYS } from './support/context.ts';
import { waitFor } from './support/wait.ts';

const ADMIN_TOKEN = 'two-instances-admin-token-0123456789';
type Server = Awaited<ReturnType<typeof startServer>>;
type Instance = { server: Server; url: string };

/** The flags one instance serves: name → active. */
async function activeFlags(instance: Instance): Promise<Record<string, boolean>> {
  const res = await fetch(`${instance.url}/api/admin/flags`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const body = (await res.json()) as { flags: { name: string; active: boolean }[] };
  return Object.fromEntries(body.flags.map((f) => [f.name, f.active]));
}
/** A write on one instance, as any client sends it: the status, error code and Retry-After. */
async function tryWrite(instance: Instance) {
  const res = await fetch(`${instance.url}/api/blueprints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'two instances', content: {} }),
  });
  const body = (await res.json()) as { error?: { code?: string } };
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') };
}
const allActive = (flags: Record<string, boolean>) => Object.values(flags).every(Boolean);
const noneActive = (flags: Record<string, boolean>) => !Object.values(flags).some(Boolean);

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await findFreePort();
  return { server: await startServer(env, port, 120_000), url: `http://127.0.0.1:${port}` };
}

// Process starts and CLI runs take seconds apiece on a busy machine; propagation itself is what waitFor bounds.
describe('flags across two server processes on one PostgreSQL', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-two-'));
  let emulator: Emulator;
  let env: Record<string, string> = {};
  const instances: Instance[] = [];

  beforeAll(async () => {
    const admin = inject('pgUrl');
    const name = `polaris_two_instances_${Date.now()}`;
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
    emulator = createEmulator({ keyId: TEST_KEYS.keyId, keySecret: TEST_KEYS.keySecret });
    env = {
      DATABASE_URL: admin.replace(/\/postgres$/, `/${name}`),
      ADMIN_TOKEN,
      RAZORPAY_API_URL: (await emulator.listen(0)).url,
      RAZORPAY_KEY_ID: TEST_KEYS.keyId,
      RAZORPAY_KEY_SECRET: TEST_KEYS.keySecret,
      RAZORPAY_WEBHOOK_SECRET: TEST_KEYS.webhookSecret,
    };
    // One after the other: the first migrates, the second finds the schema current.
    for (const which of ['a', 'b']) {
      instances.push(await startInstance({ ...env, POLARIS_DATA_DIR: join(dir, which) }));
    }
  }, 300_000);
  afterAll(async () => {
    for (const { server } of instances) server.child.kill('SIGKILL');
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an emergency shutdown from the CLI reaches the other instance, and so does the lift', async () => {
    const [a, b] = instances as [Instance, Instance];
    expect(noneActive(await activeFlags(b))).toBe(true);

    const shutdown = await runCli(['emergency', 'shutdown', '--reason', 'two-instance drill'], env);
    expect(shutdown.code, shutdown.stderr).toBe(0);
    const incident = /^opened critical incident INC-(\d+):/m.exec(shutdown.stdout)?.[1];
    expect(incident, shutdown.stdout).toBeDefined();
    await waitFor(async () => allActive(await activeFlags(b)), 5_000, 'instance b to see the shutdown');
    await waitFor(async () => allActive(await activeFlags(a)), 5_000, 'instance a to see the shutdown');
    // The other instance enforces it: a write is refused with 503 and a Retry-After.
    expect(await tryWrite(b)).toMatchObject({
      status: 503,
      code: 'read_only',
      retryAfter: expect.any(String),
    });

    const lift = await runCli(['emergency', 'lift', '--reason', 'drill over'], env);
    expect(lift.code, lift.stderr).toBe(0);
    await waitFor(async () => noneActive(await activeFlags(b)), 5_000, 'instance b to see the lift');
    // Lifted: the same anonymous write now reaches the route, which asks who is calling.
    expect(await tryWrite(b)).toMatchObject({ status: 401 });
    // The other instance's admin API shows the incident the shutdown opened, still open after the lift.
    const listed = await fetch(`${b.url}/api/admin/incidents?open=true`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const { incidents } = (await listed.json()) as { incidents: { id: string; severity: string }[] };
    expect(incidents).toEqual([expect.objectContaining({ id: incident, severity: 'critical' })]);
  });
});

describe('flags on the embedded database: the owning server polls', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-embedded-flags-'));
  let env: Record<string, string> = {};
  let instance: Instance | undefined;

  beforeAll(async () => {
    env = {
      ADMIN_TOKEN,
      POLARIS_DATA_DIR: join(dir, 'data'),
      POLARIS_DB_PORT: String(await findFreePort()),
      POLARIS_EMULATOR_PORT: String(await findFreePort()),
    };
    instance = await startInstance(env);
  }, 300_000);
  afterAll(() => {
    instance?.server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a CLI change through the server’s database reaches the server', async () => {
    const off = await runCli(['payments', 'off', '--reason', 'embedded drill'], env);
    expect(off.code, off.stderr).toBe(0);
    await waitFor(
      async () => (await activeFlags(instance!)).payments === true,
      5_000,
      'the server to see it',
    );
  });
});
