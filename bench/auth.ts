import { sql } from 'kysely';
import { createKysely } from '../src/adapters/db/connection.ts';
import { TEST_AUTH } from '../test/support/accounts.ts';
import { createTestContext } from '../test/support/context.ts';
import type { TestDatabase } from '../test/support/databases.ts';
import { migrateTestDatabase } from '../test/support/databases.ts';
import { serveFullApp } from '../test/support/full-app.ts';
import { startPostgres } from '../test/support/postgres-server.ts';

const CONCURRENCY = 16;
const PEOPLE = 96;
const POOL = 10;
const PASSWORD = 'correct-horse-battery';

type Round = { perSecond: number; p50: number; p99: number };

/** Sends `count` requests, CONCURRENCY at a time; every answer must be 200. */
async function closedLoop(count: number, send: (i: number) => Promise<Response>): Promise<Round> {
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
        if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);
  return { perSecond: Math.round((count / seconds) * 10) / 10, p50: at(0.5), p99: at(0.99) };
}

/**
 * Sign-ups and sign-ins per second over HTTP against PostgreSQL, with production's pool size and
 * the slowest connection checkout, so a regression of issue 7 §9 (scrypt inside a transaction) shows.
 */
export async function runAuthBench(): Promise<Record<string, number>> {
  const pg = await startPostgres({ maxConnections: 100 });
  const handle = createKysely(pg.url, { max: POOL });
  try {
    await sql`ALTER SYSTEM SET synchronous_commit = on`.execute(handle.db);
    await sql`SELECT pg_reload_conf()`.execute(handle.db);
    await migrateTestDatabase(handle.db);
    const holds: number[] = [];
    const since = new Map<unknown, number>();
    handle.pool.on('acquire', (client) => since.set(client, performance.now()));
    handle.pool.on('release', (_err, client) => holds.push(performance.now() - (since.get(client) ?? 0)));
    const database = { ...handle, url: pg.url, backend: 'postgres', close: async () => {} } as TestDatabase;
    const h = await createTestContext(database);
    const served = await serveFullApp(h.ctx);
    const post = (path: string, body: unknown) =>
      fetch(`${served.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl },
        body: JSON.stringify(body),
      });
    try {
      const email = (i: number) => `bench-auth-${i}@example.com`;
      const signUps = await closedLoop(PEOPLE, (i) =>
        post('/api/auth/sign-up/email', { email: email(i), password: PASSWORD, name: 'Bench' }),
      );
      const signIns = await closedLoop(PEOPLE, (i) =>
        post('/api/auth/sign-in/email', { email: email(i), password: PASSWORD }),
      );
      holds.sort((a, b) => a - b);
      return {
        sign_ups_per_s: signUps.perSecond,
        sign_up_p50_ms: signUps.p50,
        sign_up_p99_ms: signUps.p99,
        sign_ins_per_s: signIns.perSecond,
        sign_in_p50_ms: signIns.p50,
        sign_in_p99_ms: signIns.p99,
        longest_connection_checkout_ms: Math.round(holds.at(-1) ?? 0),
      };
    } finally {
      await served.close();
      await h.close();
    }
  } finally {
    await handle.db.destroy();
    pg.stop();
  }
}

if (process.argv[1]?.endsWith('bench/auth.ts')) {
  for (const [metric, value] of Object.entries(await runAuthBench())) console.log(`auth.${metric}\t${value}`);
}
