import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCHEDULER_LOCK_KEY } from '../src/adapters/db/leader-lock.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { createEmulator, type Emulator } from '../src/emulator/create-emulator.ts';
import { startServer } from './support/cli.ts';
import { TEST_KEYS } from './support/context.ts';
import { waitFor } from './support/wait.ts';

type Server = Awaited<ReturnType<typeof startServer>>;

// Two `polaris start` processes on one PostgreSQL; killing the leader's process frees its lock.
describe('the scheduler across two polaris start processes', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'polaris-leader-'));
  let emulator: Emulator;
  let client: pg.Client;
  const servers: Server[] = [];

  beforeAll(async () => {
    const admin = inject('pgUrl');
    const name = `polaris_leader_${Date.now()}`;
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
    emulator = createEmulator({ keyId: TEST_KEYS.keyId, keySecret: TEST_KEYS.keySecret });
    const url = admin.replace(/\/postgres$/, `/${name}`);
    const env = {
      DATABASE_URL: url,
      RAZORPAY_API_URL: (await emulator.listen(0)).url,
      RAZORPAY_KEY_ID: TEST_KEYS.keyId,
      RAZORPAY_KEY_SECRET: TEST_KEYS.keySecret,
      RAZORPAY_WEBHOOK_SECRET: TEST_KEYS.webhookSecret,
    };
    for (const which of ['a', 'b']) {
      servers.push(
        await startServer({ ...env, POLARIS_DATA_DIR: join(dir, which) }, await findFreePort(), 120_000),
      );
    }
    client = new pg.Client({ connectionString: url });
    await client.connect();
  }, 300_000);
  afterAll(async () => {
    for (const { child } of servers) child.kill('SIGKILL');
    await client?.end();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The pids of the processes holding the scheduler's lock, and the pid in scheduler_leader. */
  const leader = async () => {
    const locks = await client.query<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
      [SCHEDULER_LOCK_KEY],
    );
    const row = await client.query<{ holder: string }>('SELECT holder FROM scheduler_leader');
    return { locks: locks.rows.length, pid: Number(row.rows[0]?.holder.split('/').at(-1)) };
  };

  it('one process leads; SIGKILL it and the other takes the lock and leads', async () => {
    const pids = servers.map((s) => s.child.pid);
    await waitFor(async () => pids.includes((await leader()).pid), 30_000, 'a leader');
    const first = await leader();
    expect(first.locks).toBe(1);
    const dead = servers.find((s) => s.child.pid === first.pid) as Server;
    const other = servers.find((s) => s !== dead) as Server;
    dead.child.kill('SIGKILL');
    await dead.exited;
    await waitFor(async () => (await leader()).pid === other.child.pid, 30_000, 'the other process to lead');
    expect((await leader()).locks).toBe(1);
    other.child.kill('SIGTERM');
    expect(await other.exited).toBe(0);
    await waitFor(async () => (await leader()).locks === 0, 10_000, 'the lock given up at shutdown');
  });
});
