import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { createEmulator } from '../src/emulator/create-emulator.ts';
import { BIN, cliEnv, startServer } from '../test/support/cli.ts';
import { TEST_KEYS } from '../test/support/context.ts';
import { startPostgres } from '../test/support/postgres-server.ts';

const RUNS = 10;
const ADMIN_TOKEN = 'bench-flags-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Whether the instance refuses an ordinary write with 503: the moment a customer would see the shutdown. */
async function refusesWrites(url: string): Promise<boolean> {
  const res = await fetch(`${url}/api/blueprints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'bench', content: {} }),
  });
  await res.arrayBuffer();
  return res.status === 503;
}

async function anyActive(url: string): Promise<boolean> {
  const res = await fetch(`${url}/api/admin/flags`, { headers: auth });
  const body = (await res.json()) as { flags: { active: boolean }[] };
  return body.flags.some((f) => f.active);
}

/** Polls every 20 ms until `check` holds; the time it first held (ms, performance clock). */
async function firstSeen(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not seen within ${timeoutMs} ms`);
}

/** Runs `polaris emergency shutdown`; resolves with the time its first output line arrived (after the commit). */
function shutdownCommitted(env: Record<string, string>): {
  committed: Promise<number>;
  done: Promise<number | null>;
} {
  const child = spawn(process.execPath, [BIN, 'emergency', 'shutdown', '--reason', 'bench'], {
    env: cliEnv(env),
  });
  const committed = new Promise<number>((resolve) =>
    child.stdout.once('data', () => resolve(performance.now())),
  );
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { committed, done };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x);
  return { min: round(s[0]!), median: round(s[Math.floor(s.length / 2)]!), max: round(s.at(-1)!) };
};

/**
 * Issue 9 §2: two servers on one durable PostgreSQL; `polaris emergency shutdown` from the CLI, then
 * an anonymous POST /api/blueprints on the OTHER server every 20 ms until it answers 503. Per run: from the command's
 * output (its commit) to the first sight, and from spawning the command to the first sight.
 */
export async function runFlagsPropagationBench(): Promise<Record<string, number>> {
  const pg = await startPostgres({ durable: true });
  const dir = mkdtempSync(join(tmpdir(), 'polaris-bench-flags-'));
  const emulator = createEmulator({ keyId: TEST_KEYS.keyId, keySecret: TEST_KEYS.keySecret });
  const env = {
    DATABASE_URL: pg.url,
    ADMIN_TOKEN,
    RAZORPAY_API_URL: (await emulator.listen(0)).url,
    RAZORPAY_KEY_ID: TEST_KEYS.keyId,
    RAZORPAY_KEY_SECRET: TEST_KEYS.keySecret,
    RAZORPAY_WEBHOOK_SECRET: TEST_KEYS.webhookSecret,
  };
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  try {
    const urls: string[] = [];
    for (const which of ['a', 'b']) {
      const port = await findFreePort();
      servers.push(await startServer({ ...env, POLARIS_DATA_DIR: join(dir, which) }, port, 120_000));
      urls.push(`http://127.0.0.1:${port}`);
    }
    const [a, b] = urls as [string, string];
    const fromCommit: number[] = [];
    const fromCommand: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const spawned = performance.now();
      const cli = shutdownCommitted(env);
      const seen = await firstSeen(() => refusesWrites(b));
      const committed = await cli.committed;
      if ((await cli.done) !== 0) throw new Error('polaris emergency shutdown failed');
      fromCommit.push(Math.max(0, seen - committed));
      fromCommand.push(seen - spawned);
      // Lift through the API of the first instance and wait until the other one sees it.
      for (const [name, state] of [
        ['payments', 'on'],
        ['maintenance', 'off'],
        ['read_only', 'off'],
      ]) {
        await fetch(`${a}/api/admin/flags/${name}`, {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ state, reason: 'bench lift' }),
        });
      }
      await firstSeen(async () => !(await anyActive(b)));
    }
    const c = stats(fromCommit);
    const s = stats(fromCommand);
    return {
      runs: RUNS,
      commit_to_other_instance_min_ms: c.min,
      commit_to_other_instance_median_ms: c.median,
      commit_to_other_instance_max_ms: c.max,
      command_to_other_instance_min_ms: s.min,
      command_to_other_instance_median_ms: s.median,
      command_to_other_instance_max_ms: s.max,
    };
  } finally {
    for (const server of servers) server.child.kill('SIGKILL');
    await emulator.close();
    pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (
  import.meta.url === `file://${process.argv[1]}` ||
  process.argv[1]?.endsWith('bench/flags-propagation.ts')
) {
  console.log(JSON.stringify(await runFlagsPropagationBench(), null, 2));
}
