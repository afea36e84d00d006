import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { CompiledQuery, sql } from 'kysely';
import type { Pool } from 'pg';
import { createKysely } from '../src/adapters/db/connection.ts';
import { Migrator } from '../src/adapters/db/migrator.ts';
import { createRepos } from '../src/adapters/db/repos.ts';
import { createEmulator } from '../src/emulator/create-emulator.ts';
import { composeProductApp } from '../src/wiring/http.ts';
import { runLoad } from './load.ts';
import { contextFor, KEYS, postgresDb } from './support/context.ts';
import { seedDataset } from './support/dataset.ts';
import { describePlan, explain, recordingKysely } from './support/explain.ts';
import { adoptHeaviestSubscriber, createBenchAdmin, seedPageData, signIn } from './support/page-data.ts';

// Issue 12's speed goal: p95 < 50 ms server time for /account, /blueprints and the /admin overview
// at 10k users and 1M payments (BENCH_PAGES_SCALE=0.1: a tenth of both, same payments per user).
// A page that answers 404 (its branch not merged yet) is reported "not built", not timed.

const SCALE = Number(process.env.BENCH_PAGES_SCALE ?? 1);
const PAYMENTS = Math.round(1_000_000 * SCALE);
const USERS = Math.round(10_000 * SCALE);
const REQUESTS = Number(process.env.BENCH_PAGES_REQUESTS ?? 200);
const HTTP_SECONDS = Number(process.env.BENCH_PAGES_SECONDS ?? 3);
const CONNECTIONS = 4;
const HISTORY_PAGE = 20;
const OWN_BLUEPRINTS = 60;
const INDEXES = '0105_page_indexes';
const ORIGIN = 'http://localhost:3000';

// metrics-repo.paymentOutcomes as it was before 0105 (one OR over two unindexed columns), for the
// before/after figures of the /metrics scrape.
const OUTCOMES_BEFORE = `SELECT count(*) FILTER (WHERE captured_at >= $1) AS captured,
  count(*) FILTER (WHERE failed_at >= $1) AS failed
  FROM payments WHERE captured_at >= $1 OR failed_at >= $1`;

const round = (ms: number) => Math.round(ms * 100) / 100;

function percentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

type Target = { name: string; path: string; cookie: string };
type App = ReturnType<typeof composeProductApp>['app'];

const pageRequest = (cookie: string) => ({ headers: { cookie, accept: 'text/html' } });

/** Times `REQUESTS` sequential in-process requests of one page (after a warm-up). */
async function inProcess(app: App, target: Target) {
  const times: number[] = [];
  for (let i = -10; i < REQUESTS; i += 1) {
    const t0 = performance.now();
    const res = await app.request(target.path, pageRequest(target.cookie));
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${target.path} answered ${res.status}`);
    if (i >= 0) times.push(performance.now() - t0);
  }
  return percentiles(times);
}

/**
 * Each read the pages will make, through the repositories they will call (or, for the last verify,
 * the query it would need), captured and EXPLAINed with its parameters.
 */
async function explainReads(pool: Pool, userId: string, latePage: number) {
  const captured: CompiledQuery[] = [];
  const logged = recordingKysely(pool, captured);
  const repos = createRepos(logged);
  const now = Date.now();
  const ago = (minutes: number) => new Date(now - minutes * 60_000);
  const offset = latePage * HISTORY_PAGE;
  const previous = (
    await createRepos(logged).checkout.listPayments(userId, { limit: 1, offset: offset - 1 })
  )[0];
  captured.length = 0;
  const reads: [string, () => Promise<unknown>][] = [
    ['history_offset_late', () => repos.checkout.listPayments(userId, { limit: HISTORY_PAGE + 1, offset })],
    [
      'history_keyset_late',
      () =>
        repos.paymentHistory.page(userId, {
          limit: HISTORY_PAGE,
          older: previous && { createdAt: previous.created_at, paymentId: previous.payment_id },
        }),
    ],
    ['history_count', () => repos.paymentHistory.count(userId)],
    ['blueprints_list', () => repos.blueprints.listOwn(userId, { limit: 20, offset: 0 })],
    ['blueprints_usage', () => repos.blueprints.stats(userId)],
    ['success_15m', () => repos.alerts.paymentAttempts(ago(15))],
    ['success_24h', () => repos.alerts.paymentAttempts(ago(24 * 60))],
    ['backlog', () => repos.alerts.pendingWebhooks()],
    ['oldest_pending', () => repos.webhookOps.oldestPending()],
    ['failed_events', () => repos.webhookOps.list({ statuses: ['failed'] }, 20)],
    ['last_drill', () => repos.drills.list(1)],
    [
      'last_verify',
      () =>
        logged
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'db.verify')
          .orderBy('created_at', 'desc')
          .limit(1)
          .execute(),
    ],
    ['metrics_outcomes_15m', () => repos.metrics.paymentOutcomes(ago(15))],
  ];
  const out: Record<string, number> = {};
  for (const [label, read] of reads) {
    const from = captured.length;
    await read();
    out[label] = await explainAll(pool, label, captured.slice(from));
  }
  const before = CompiledQuery.raw(OUTCOMES_BEFORE, [ago(15)]);
  out.metrics_outcomes_15m_pre_0105 = await explainAll(pool, 'metrics_outcomes_15m_pre_0105', [before]);
  // The recording Kysely shares the caller's pool: not destroyed here.
  return out;
}

/** EXPLAINs the queries of one read, printing each plan; their total execution time. */
async function explainAll(pool: Pool, label: string, queries: CompiledQuery[]) {
  let ms = 0;
  for (const [i, query] of queries.entries()) {
    const plan = await explain(pool, query);
    ms += plan.ms;
    console.log(`  ${label}${queries.length > 1 ? `[${i}]` : ''}: ${describePlan(plan)}`);
  }
  return Math.round(ms * 1000) / 1000;
}

/** The median time of `runs` back-to-back calls of one read. */
async function median(runs: number, read: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await read();
    times.push(performance.now() - t0);
  }
  return percentiles(times).p50;
}

/** Seeds, then EXPLAINs the pages' reads without and with 0105, then times every page. */
export async function runPagesBench(): Promise<Record<string, number>> {
  const emu = createEmulator({ keyId: KEYS.keyId, keySecret: KEYS.keySecret });
  const emuServer = await emu.listen(0);
  const database = await postgresDb(true, 10);
  const { ctx, db } = await contextFor(database, emuServer.url);
  const raw = createKysely(database.url, { max: 2 });
  const out: Record<string, number> = { payments: PAYMENTS, users: USERS };
  try {
    let t0 = performance.now();
    await seedDataset(db, { users: USERS, payments: PAYMENTS, events: PAYMENTS / 5 });
    await seedPageData(db, { blueprintsPerUser: 5, auditRows: PAYMENTS / 10 });
    const subscriber = await adoptHeaviestSubscriber(ctx, db, OWN_BLUEPRINTS);
    const admin = await createBenchAdmin(ctx);
    out.seed_s = Math.round(performance.now() - t0) / 1000;
    out.subscriber_payments = subscriber.payments;
    const latePage = Math.max(1, Math.ceil(subscriber.payments / HISTORY_PAGE) - 1);

    const migrator = new Migrator(raw.db);
    const undone = await migrator.rollback({ only: [INDEXES] });
    if (!undone.ok) throw undone.error;
    await sql`ANALYZE`.execute(db);
    console.log(`pages: EXPLAIN (ANALYZE) at ${PAYMENTS} payments, without ${INDEXES}`);
    const withoutIndexes = await explainReads(raw.pool, subscriber.userId, latePage);
    const outcomesBefore = await median(20, () =>
      raw.pool.query(OUTCOMES_BEFORE, [new Date(Date.now() - 900_000)]),
    );
    t0 = performance.now();
    const redone = await migrator.migrate();
    if (!redone.ok) throw redone.error;
    out.indexes_build_s = Math.round(performance.now() - t0) / 1000;
    await sql`ANALYZE`.execute(db);
    console.log(`pages: EXPLAIN (ANALYZE) with ${INDEXES}`);
    const withIndexes = await explainReads(raw.pool, subscriber.userId, latePage);
    for (const [label, ms] of Object.entries(withoutIndexes)) {
      out[`explain_${label}_before_ms`] = ms;
      out[`explain_${label}_after_ms`] = withIndexes[label] ?? -1;
    }
    out.metrics_outcomes_before_median_ms = round(outcomesBefore);
    out.metrics_outcomes_after_median_ms = round(
      await median(20, () => ctx.repos.metrics.paymentOutcomes(new Date(Date.now() - 900_000))),
    );

    const { app } = composeProductApp(ctx, { log: ctx.log, cronSecret: undefined });
    const subscriberCookie = await signIn(app, subscriber.email, ORIGIN);
    const adminCookie = await signIn(app, admin.email, ORIGIN);
    out.metrics_scrape_ms = round(
      await median(20, async () => (await app.request('/metrics', pageRequest(adminCookie))).arrayBuffer()),
    );
    const targets: Target[] = [
      { name: 'pricing', path: '/pricing', cookie: subscriberCookie },
      { name: 'account', path: '/account', cookie: subscriberCookie },
      { name: 'account_late_page', path: `/account?page=${latePage + 1}`, cookie: subscriberCookie },
      { name: 'blueprints', path: '/blueprints', cookie: subscriberCookie },
      { name: 'admin', path: '/admin', cookie: adminCookie },
    ];
    const built: Target[] = [];
    for (const target of targets) {
      const res = await app.request(target.path, pageRequest(target.cookie));
      await res.arrayBuffer();
      if (res.status === 404) {
        console.log(`pages: ${target.path} answers 404: not built`);
        out[`${target.name}_built`] = 0;
        continue;
      }
      out[`${target.name}_built`] = 1;
      if (res.status !== 200) {
        // Reported, not fatal: the other pages of the run are still worth their figures.
        console.log(`pages: ${target.path} answers ${res.status} to a signed-in caller: not timed`);
        out[`${target.name}_status`] = res.status;
        continue;
      }
      built.push(target);
      const times = await inProcess(app, target);
      out[`${target.name}_in_process_p50_ms`] = times.p50;
      out[`${target.name}_in_process_p95_ms`] = times.p95;
      out[`${target.name}_in_process_p99_ms`] = times.p99;
    }

    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const target of built) {
        const load = await runLoad({
          port,
          path: target.path,
          method: 'GET',
          headers: pageRequest(target.cookie).headers,
          connections: CONNECTIONS,
          durationMs: HTTP_SECONDS * 1000,
        });
        out[`${target.name}_http_per_s`] = load.perSecond;
        out[`${target.name}_http_p50_ms`] = load.p50;
        out[`${target.name}_http_p95_ms`] = load.p95;
        out[`${target.name}_http_p99_ms`] = load.p99;
      }
    } finally {
      server.close();
    }
    return out;
  } finally {
    await raw.db.destroy();
    await db.destroy();
    await database.stop();
    await emu.close();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const results = await runPagesBench();
  for (const [k, v] of Object.entries(results)) console.log(`pages.${k}\t${v}`);
  process.exit(0);
}
