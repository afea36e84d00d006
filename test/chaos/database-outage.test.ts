import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely, type KyselyHandle } from '../../src/adapters/db/connection.ts';
import { findFreePort } from '../../src/adapters/db/port-probe.ts';
import { cookiesFrom } from '../support/accounts.ts';
import { startServer } from '../support/cli.ts';
import { type PostgresServer, startPostgres } from '../support/postgres-server.ts';
import { waitFor } from '../support/wait.ts';
import { webhookLoad } from '../support/webhook-load.ts';

const SECRET = 'chaos-webhook-secret-0001';
const PAGE_USER = 'chaos-pages@example.com';

/** A fetch's status with its body read, or 0 when no answer came (a crash or a reset). */
const statusOf = (answer: Promise<Response>) =>
  answer.then(
    async (r) => {
      await r.arrayBuffer();
      return r.status;
    },
    () => 0,
  );

/** A signed-in browser beside the webhooks: /account, then a blueprint form post, on two loops. */
function pageLoad(base: string, cookie: string, prefix: string) {
  const results: { kind: 'page' | 'form'; status: number; title?: string }[] = [];
  let stopped = false;
  const html = { cookie, accept: 'text/html' };
  // PUBLIC_BASE_URL's default origin (http://localhost:<PORT>), as a browser on it would send.
  const origin = base.replace('127.0.0.1', 'localhost');
  const form = { ...html, origin, 'content-type': 'application/x-www-form-urlencoded' };
  const loop = async (worker: number) => {
    for (let i = 0; !stopped; i++) {
      results.push({ kind: 'page', status: await statusOf(fetch(`${base}/account`, { headers: html })) });
      const title = `${prefix}-${worker}-${i}`;
      const body = new URLSearchParams({ title, content: 'written during the outage drill' });
      const status = await statusOf(
        fetch(`${base}/blueprints`, { method: 'POST', redirect: 'manual', headers: form, body }),
      );
      results.push({ kind: 'form', status, title });
    }
  };
  const running = [loop(0), loop(1)];
  return {
    results,
    stop: async () => {
      stopped = true;
      await Promise.all(running);
    },
  };
}

describe('a PostgreSQL outage under webhook and browser load (polaris start with DATABASE_URL)', () => {
  let pg: PostgresServer;
  let dataDir: string;
  let port: number;
  let server: Awaited<ReturnType<typeof startServer>>;
  let check: KyselyHandle;
  let pageCookie: string;

  beforeAll(async () => {
    // Production durability: with synchronous_commit off, an immediate stop loses commits that
    // were already acknowledged, which is the server's choice, not Polaris's.
    pg = await startPostgres({ durable: true });
    dataDir = mkdtempSync(join(tmpdir(), 'polaris-chaos-'));
    port = await findFreePort();
    const emulatorPort = await findFreePort();
    server = await startServer(
      {
        DATABASE_URL: pg.url,
        POLARIS_DATA_DIR: dataDir,
        POLARIS_EMULATOR_PORT: String(emulatorPort),
        RAZORPAY_WEBHOOK_SECRET: SECRET,
      },
      port,
      120_000,
    );
    check = createKysely(pg.url, { max: 2 });
    const base = `http://127.0.0.1:${port}`;
    const signed = await fetch(`${base}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `http://localhost:${port}` },
      body: JSON.stringify({ email: PAGE_USER, password: 'correct-horse-battery', name: 'Chaos' }),
    });
    expect(signed.status).toBe(200);
    pageCookie = cookiesFrom(signed);
    // Unlimited blueprints, so every form post of the drill is a write.
    await check.db
      .updateTable('user_profiles')
      .set({ subscription_tier: 'enterprise' })
      .where('email', '=', PAGE_USER)
      .execute();
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await check?.db.destroy();
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ready = async () =>
    (await fetch(`http://127.0.0.1:${port}/api/health/ready`).catch(() => null))?.status;

  it.each(['fast', 'immediate'] as const)(
    'pg_ctl stop -m %s: webhooks, pages and forms get only 200/303s and 503s, everything acknowledged is stored, and the same process recovers by itself',
    async (mode) => {
      const prefix = `Outage${mode[0]}`;
      const load = webhookLoad({
        url: `http://127.0.0.1:${port}/api/webhooks/razorpay`,
        secret: SECRET,
        concurrency: 16,
        prefix,
        capturedEvery: 4,
      });
      const pages = pageLoad(`http://127.0.0.1:${port}`, pageCookie, `Pages${mode[0]}`);
      const count = (status: number, from = 0) =>
        load.results.slice(from).filter((r) => r.status === status).length;
      try {
        await waitFor(() => count(200) >= 100, 30_000, 'deliveries stored before the outage');
        await pg.halt(mode);
        const haltedAt = load.results.length;
        const pagesHaltedAt = pages.results.length;
        await waitFor(() => count(503, haltedAt) >= 50, 60_000, '503s while the database is down');
        await waitFor(
          () => pages.results.slice(pagesHaltedAt).some((r) => r.kind === 'form' && r.status === 503),
          60_000,
          'a refused form while the database is down',
        );
        const down = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
        expect(down.status).toBe(503);
        expect(JSON.stringify(await down.json())).toMatch(/database/);
        await pg.resume();
        const resumedAt = load.results.length;
        const pagesResumedAt = pages.results.length;
        await waitFor(() => count(200, resumedAt) >= 100, 60_000, '200s after the database is back');
        await waitFor(
          () => pages.results.slice(pagesResumedAt).some((r) => r.status === 303),
          60_000,
          'a blueprint form accepted after the database is back',
        );
      } finally {
        await load.stop();
        await pages.stop();
        const tallies: Record<string, number> = {};
        for (const r of pages.results)
          tallies[`${r.kind} ${r.status}`] = (tallies[`${r.kind} ${r.status}`] ?? 0) + 1;
        console.info(`outage -m ${mode}, pages: ${JSON.stringify(tallies)}`);
      }
      // Pages and forms answered 200/303 or 503 throughout (never a crash, a 500 or no answer), and
      // every blueprint the form acknowledged with its redirect is stored.
      expect([...new Set(pages.results.map((r) => r.status))].sort()).toEqual([200, 303, 503]);
      expect(server.errorLogs()).toEqual([]); // no "unhandled error" logged: every outage was a 503
      const titles = await check.db
        .selectFrom('blueprints')
        .select('title')
        .where('title', 'like', `Pages${mode[0]}-%`)
        .execute();
      const storedTitles = new Set(titles.map((r) => r.title));
      const acknowledged = pages.results.filter((r) => r.status === 303).map((r) => r.title);
      expect(acknowledged.filter((title) => !storedTitles.has(title!))).toEqual([]);

      const tally = (status: number) => load.results.filter((r) => r.status === status).length;
      console.info(`outage -m ${mode}: ${tally(200)} deliveries answered 200, ${tally(503)} answered 503`);
      const statuses = new Set(load.results.map((r) => r.status));
      expect([...statuses].sort()).toEqual([200, 503]);
      expect(server.child.exitCode).toBeNull();
      await waitFor(async () => (await ready()) === 200, 30_000, 'readiness 200 again');

      const acked = load.results.filter((r) => r.status === 200).map((r) => r.id);
      const stored = await check.db
        .selectFrom('razorpay_webhook_events')
        .select('event_id')
        .where('event_id', 'like', `${prefix}%`)
        .execute();
      const storedIds = new Set(stored.map((r) => r.event_id));
      expect(acked.filter((id) => !storedIds.has(id))).toEqual([]);

      // The worker was applying payments in transactions when the database went; it resumes by itself.
      await waitFor(
        async () =>
          (
            await sql<{ n: number }>`SELECT count(*)::int AS n FROM razorpay_webhook_events
              WHERE event_id LIKE ${`${prefix}%`} AND processing_status NOT IN ('processed', 'skipped')`.execute(
              check.db,
            )
          ).rows[0]?.n === 0,
        60_000,
        'every stored event applied',
      );
      // Each stored payment event is applied exactly once. A delivery can commit and lose its
      // reply when the server dies, so the stored ones include every 200 and maybe a few 503s.
      const payments = await sql<{ n: number }>`SELECT count(*)::int AS n FROM payments
        WHERE razorpay_payment_id LIKE ${`pay_${prefix}%`}`.execute(check.db);
      const capturedStored = stored.filter((r) => Number(r.event_id.slice(prefix.length)) % 4 === 0);
      const capturedAcked = acked.filter((id) => Number(id.slice(prefix.length)) % 4 === 0);
      expect(payments.rows[0]?.n).toBe(capturedStored.length);
      expect(capturedStored.length).toBeGreaterThanOrEqual(capturedAcked.length);

      // The LISTEN connection is rebuilt, so workers wake on NOTIFY again instead of polling.
      await waitFor(
        async () =>
          (
            await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE application_name = 'polaris-listener'`.execute(check.db)
          ).rows[0]?.n === 1,
        30_000,
        'the listener connection back',
      );
    },
    240_000,
  );
});
