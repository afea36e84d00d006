import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createLogger } from '../src/adapters/logger.ts';
import { signWebhookBody, verifyWebhookSignature } from '../src/adapters/razorpay/signature.ts';
import { createEmulator } from '../src/emulator/create-emulator.ts';
import { createHttpApp } from '../src/interfaces/http/app.ts';
import { webhookRoutes } from '../src/interfaces/http/routes/webhooks.ts';
import { route } from '../src/interfaces/http/routing.ts';
import { startWorker } from '../src/interfaces/worker/start-worker.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { runLoad } from './load.ts';
import { contextFor, KEYS, pgliteDb, postgresDb } from './support/context.ts';

const CONNECTIONS = 50;
const INGEST_MS = 4000;
const SUBSCRIBERS = 400;

/** Real emulator events: SUBSCRIBERS users subscribe, pay, and renew once. */
export async function emulatorEvents(
  ctx: ServiceContext,
  db: Awaited<ReturnType<typeof contextFor>>['db'],
  emu: ReturnType<typeof createEmulator>,
) {
  const plan = await ctx.gateway.createPlan({
    period: 'monthly',
    interval: 1,
    item: { name: 'Navigator', amount: 349_900, currency: 'INR' },
  });
  if (!plan.ok) throw plan.error;
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const user = await db
      .insertInto('user_profiles')
      .values({ email: `bench-${i}@example.com` })
      .returning('user_id')
      .executeTakeFirstOrThrow();
    const sub = await ctx.gateway.createSubscription({
      planId: plan.value.id,
      totalCount: 12,
      notes: { polaris_user_id: user.user_id, polaris_tier: 'navigator', polaris_cycle: 'monthly' },
    });
    if (!sub.ok) throw sub.error;
    const paid = emu.completeCheckout({ subscription_id: sub.value.id });
    if (!paid.ok) throw new Error('checkout failed');
  }
  emu.advanceClock(31 * 86_400);
  return emu.events().map((e) => ({ id: e.id, body: e.body }));
}

/** A fast wrong answer is no result: every subscriber renewed once, both payments linked, tier granted. */
export async function expectBillingApplied(db: Awaited<ReturnType<typeof contextFor>>['db']) {
  const found = await sql<{ renewed: string; linked: string; payments: string; navigators: string }>`SELECT
      (SELECT count(*) FROM subscriptions WHERE status = 'active' AND paid_count = 2) AS renewed,
      (SELECT count(*) FROM payments WHERE status = 'captured' AND subscription_id IS NOT NULL
         AND billing_period_start IS NOT NULL) AS linked,
      (SELECT count(*) FROM payments) AS payments,
      (SELECT count(*) FROM user_profiles WHERE subscription_tier = 'navigator') AS navigators`.execute(db);
  const row = found.rows[0]!;
  const want = {
    renewed: SUBSCRIBERS,
    linked: 2 * SUBSCRIBERS,
    payments: 2 * SUBSCRIBERS,
    navigators: SUBSCRIBERS,
  };
  const got = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(
      `processing left wrong billing rows: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`,
    );
  }
}

/** `CONNECTIONS` keep-alive loops POSTing a signed body for INGEST_MS (unique event ids when `eventIds`). */
function load(port: number, path: string, body: string, eventIds: boolean) {
  const signature = signWebhookBody(body, KEYS.webhook);
  return runLoad({ port, path, body, signature, eventIds, connections: CONNECTIONS, durationMs: INGEST_MS });
}

type Backend = 'postgres' | 'postgres_fsync_off' | 'pglite';

async function runOn(kind: Backend): Promise<Record<string, number>> {
  const emu = createEmulator({ keyId: KEYS.keyId, keySecret: KEYS.keySecret, clock: 1_780_000_000 });
  const emuServer = await emu.listen(0);
  const database = kind === 'pglite' ? await pgliteDb() : await postgresDb(kind === 'postgres');
  const { ctx, db } = await contextFor(database, emuServer.url);
  const app = createHttpApp({
    log: createLogger('silent'),
    readiness: async () => ({ ok: true, checks: {} }),
    routes: [
      webhookRoutes(ctx),
      // The ceiling: the same server and signature check, no database.
      (a) =>
        route(a, '/bench/hmac', {
          POST: async (c) => {
            const raw = new Uint8Array(await c.req.arrayBuffer());
            const ok = verifyWebhookSignature(raw, c.req.header('x-razorpay-signature'), [KEYS.webhook]).ok;
            return c.json({ ok }, ok ? 200 : 401);
          },
        }),
    ],
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const events = await emulatorEvents(ctx, db, emu);
    const sample = events.find((e) => e.body.includes('"subscription.charged"'))!.body;
    const ceiling = await load(port, '/bench/hmac', sample, false);
    const ingest = await load(port, '/api/webhooks/razorpay', sample, true);
    const stored = await sql<{ n: string }>`SELECT count(*) AS n FROM razorpay_webhook_events`.execute(db);
    const storedPerSecond = Math.round(Number(stored.rows[0]!.n) / (INGEST_MS / 1000));
    await sql`DELETE FROM razorpay_webhook_events`.execute(db);

    for (const e of events) {
      await ctx.repos.inbox.insertEvent({
        event_id: e.id,
        event_type: JSON.parse(e.body).event,
        payload: e.body,
      });
    }
    const started = performance.now();
    const worker = startWorker({
      ctx,
      concurrency: 2,
      pollMs: 10,
      processing: { limit: 100, backoffMs: 50 },
    });
    for (;;) {
      const due = await sql<{ n: string }>`SELECT count(*) AS n FROM razorpay_webhook_events
        WHERE processing_status IN ('pending', 'processing')`.execute(db);
      if (Number(due.rows[0]!.n) === 0 || performance.now() - started > 120_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    const processed = await sql<{ n: string }>`SELECT count(*) AS n FROM razorpay_webhook_events
      WHERE processing_status = 'processed'`.execute(db);
    await expectBillingApplied(db);
    const prefix = kind;
    return {
      [`${prefix}.hmac_only_per_s`]: ceiling.perSecond,
      [`${prefix}.hmac_only_p50_ms`]: ceiling.p50,
      [`${prefix}.hmac_only_p99_ms`]: ceiling.p99,
      [`${prefix}.stored_per_s`]: storedPerSecond,
      [`${prefix}.stored_pct_of_ceiling`]: Math.round((100 * storedPerSecond) / ceiling.perSecond),
      [`${prefix}.ack_per_s`]: ingest.perSecond,
      [`${prefix}.ack_p50_ms`]: ingest.p50,
      [`${prefix}.ack_p99_ms`]: ingest.p99,
      [`${prefix}.process_events`]: Number(processed.rows[0]!.n),
      [`${prefix}.process_per_s_2_workers`]: Math.round(Number(processed.rows[0]!.n) / seconds),
    };
  } finally {
    server.close();
    await db.destroy();
    await database.stop();
    await emu.close();
  }
}

/**
 * Webhook ingestion (50 connections, HMAC-only ceiling beside it) and processing (2 workers):
 * PostgreSQL with production durability, the same with fsync off for comparison, then PGlite.
 */
export async function runWebhookBench(): Promise<Record<string, number>> {
  return {
    ...(await runOn('postgres')),
    ...(await runOn('postgres_fsync_off')),
    ...(await runOn('pglite')),
  };
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const results = await runWebhookBench();
  for (const [k, v] of Object.entries(results)) console.log(`webhooks.${k}\t${v}`);
  process.exit(0);
}
