import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { createKysely } from '../src/adapters/db/connection.ts';
import { RequestLogWriter } from '../src/adapters/db/request-log-writer.ts';
import { createHttpApp } from '../src/interfaces/http/app.ts';
import type { AppEnv } from '../src/interfaces/http/env.ts';
import { requestLog } from '../src/interfaces/http/request-log.ts';
import { TEST_AUTH } from '../test/support/accounts.ts';
import { captureLogger, createTestContext } from '../test/support/context.ts';
import { migrateTestDatabase, type TestDatabase } from '../test/support/databases.ts';
import { fullApp } from '../test/support/full-app.ts';
import { startPostgres } from '../test/support/postgres-server.ts';
import { signedUp } from '../test/support/security.ts';

const ROUNDS = 4;
const PER_ROUND = 300;
const IN_PROCESS_ROUNDS = 6;
const IN_PROCESS_PER_ROUND = 2000;
const CONCURRENCY = 8;
const SIGN_UPS_PER_ROUND = 12;
const POOL = 10;

async function serve(app: Hono<AppEnv>) {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, close };
}

/** Latencies of `count` requests sent CONCURRENCY at a time; every answer must be `status`. */
async function closedLoop(count: number, send: (i: number) => Promise<Response>, status = 200) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const res = await send(i);
        await res.arrayBuffer();
        if (res.status !== status) throw new Error(`request ${i} answered ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const silent = captureLogger('silent').log;

/** The middleware alone: a trivial route in-process, log on and off in alternating rounds. */
async function inProcess(writer: RequestLogWriter) {
  const route = (a: Hono<AppEnv>) => a.get('/api/ping', (c) => c.json({ ok: true }));
  const readiness = async () => ({ ok: true, checks: {} });
  const apps = {
    on: createHttpApp({ log: silent, readiness, middleware: [requestLog(writer, [])], routes: [route] }),
    off: createHttpApp({ log: silent, readiness, routes: [route] }),
  };
  const samples = { on: [] as number[], off: [] as number[] };
  for (let r = 0; r < IN_PROCESS_ROUNDS; r += 1) {
    for (const mode of r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      for (let i = 0; i < IN_PROCESS_PER_ROUND; i += 1) {
        const t0 = performance.now();
        await apps[mode].request('/api/ping');
        samples[mode].push(performance.now() - t0);
      }
    }
  }
  for (const list of Object.values(samples)) list.sort((a, b) => a - b);
  return samples;
}

/**
 * The request log's cost on the request path: the same app with the log on and off, rounds
 * alternating on one durable PostgreSQL, an authenticated read (session lookup plus a query),
 * sign-ups per second on and off, and the middleware alone in-process.
 */
export async function runRequestLogBench(): Promise<Record<string, number>> {
  const pg = await startPostgres({ maxConnections: 100, durable: true });
  const handle = createKysely(pg.url, { max: POOL });
  try {
    await migrateTestDatabase(handle.db);
    const database = { ...handle, url: pg.url, backend: 'postgres', close: async () => {} } as TestDatabase;
    const h = await createTestContext(database);
    const { ctx } = h;
    const writer = new RequestLogWriter({ insert: (e) => ctx.repos.requestLogs.insertMany(e), log: ctx.log });
    const on = await serve(fullApp(ctx, { requestLog: { sink: writer, trustedProxies: [] } }));
    const off = await serve(fullApp(ctx));
    try {
      const { cookie } = await signedUp(
        { request: (path, init) => fetch(`${on.url}${path}`, init) },
        handle.db,
        'bench-request-log@example.com',
      );
      const read = (url: string) => () => fetch(`${url}/api/usage`, { headers: { cookie } });
      await closedLoop(100, read(off.url));
      await closedLoop(100, read(on.url));
      const samples = { on: [] as number[], off: [] as number[] };
      for (let r = 0; r < ROUNDS; r += 1) {
        for (const mode of r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
          const { latencies } = await closedLoop(PER_ROUND, read(mode === 'on' ? on.url : off.url));
          samples[mode].push(...latencies);
        }
      }
      for (const list of Object.values(samples)) list.sort((a, b) => a - b);

      const signUpSeconds = { on: 0, off: 0 };
      let person = 0;
      for (const mode of ['off', 'on', 'on', 'off'] as const) {
        const url = mode === 'on' ? on.url : off.url;
        const { seconds } = await closedLoop(SIGN_UPS_PER_ROUND, () =>
          fetch(`${url}/api/auth/sign-up/email`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl },
            body: JSON.stringify({
              email: `bench-rl-${person++}@example.com`,
              password: 'correct-horse-battery',
              name: 'Bench',
            }),
          }),
        );
        signUpSeconds[mode] += seconds;
      }
      const local = await inProcess(writer);
      await writer.flush();
      const stats = writer.snapshot();
      const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM request_logs`.execute(handle.db);
      return {
        read_p50_off_ms: round2(percentile(samples.off, 0.5)),
        read_p50_on_ms: round2(percentile(samples.on, 0.5)),
        read_p99_off_ms: round2(percentile(samples.off, 0.99)),
        read_p99_on_ms: round2(percentile(samples.on, 0.99)),
        p99_added_ms: round2(percentile(samples.on, 0.99) - percentile(samples.off, 0.99)),
        requests_per_mode: samples.on.length,
        rows_written: rows.rows[0]?.n ?? 0,
        rows_dropped: stats.dropped,
        middleware_p50_off_ms: round3(percentile(local.off, 0.5)),
        middleware_p50_on_ms: round3(percentile(local.on, 0.5)),
        middleware_p99_off_ms: round3(percentile(local.off, 0.99)),
        middleware_p99_on_ms: round3(percentile(local.on, 0.99)),
        middleware_p99_added_ms: round3(percentile(local.on, 0.99) - percentile(local.off, 0.99)),
        sign_ups_per_s_off: Math.round(((2 * SIGN_UPS_PER_ROUND) / signUpSeconds.off) * 10) / 10,
        sign_ups_per_s_on: Math.round(((2 * SIGN_UPS_PER_ROUND) / signUpSeconds.on) * 10) / 10,
      };
    } finally {
      await writer.close();
      await on.close();
      await off.close();
      await h.close();
    }
  } finally {
    await handle.db.destroy();
    pg.stop();
  }
}

if (process.argv[1]?.endsWith('bench/request-log.ts')) {
  for (const [metric, value] of Object.entries(await runRequestLogBench())) {
    console.log(`request-log.${metric}\t${value}`);
  }
}
