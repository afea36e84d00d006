import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely, type KyselyHandle } from '../src/adapters/db/connection.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { signWebhookBody } from '../src/adapters/razorpay/signature.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { setFlag } from '../src/services/flags/set-flag.ts';
import { composeProductApp } from '../src/wiring/http.ts';
import { TEST_AUTH } from './support/accounts.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend, type TestDatabase } from './support/databases.ts';
import { TEST_CRON_SECRET } from './support/full-app.ts';
import { allSamples } from './support/razorpay-samples.ts';
import { seedBilling } from './support/seed.ts';

type Harness = Awaited<ReturnType<typeof createTestContext>>;
const ADMIN = { authorization: `Bearer ${TEST_AUTH.adminToken}` };
const CRON = { authorization: `Bearer ${TEST_CRON_SECRET}` };
// One Prometheus text-format sample line: name, optional labels, a number (no parser is installed).
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|\+Inf|NaN)$/;

function appFor(ctx: ServiceContext, pool?: KyselyHandle['pool']) {
  return composeProductApp(ctx, { log: ctx.log, cronSecret: TEST_CRON_SECRET, ...(pool && { pool }) }).app;
}

/** Asserts every line is a comment or a well-formed sample; returns the sample lines. */
function samples(text: string): string[] {
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of lines) expect(line).toMatch(SAMPLE);
  return lines;
}

const scrape = async (app: ReturnType<typeof appFor>) => {
  const res = await app.request('/metrics', { headers: ADMIN });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return samples(await res.text());
};

const deliver = (app: ReturnType<typeof appFor>, body: string, eventId: string, secret: string) =>
  app.request('/api/webhooks/razorpay', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-razorpay-event-id': eventId,
      'x-razorpay-signature': signWebhookBody(body, secret),
    },
  });

describeEachBackend('GET /metrics and the cron tick', { migrated: true }, (get) => {
  let h: Harness;
  let app: ReturnType<typeof appFor>;

  beforeAll(async () => {
    h = await createTestContext(get());
    app = appFor(h.ctx, get().pool);
    // Two payments captured and one failed just now, and one event pending in the inbox.
    await seedBilling(get().db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts requests by matched route pattern (never the raw path) and status, with latency', async () => {
    expect((await app.request('/api/plans')).status).toBe(200);
    expect((await app.request('/api/blueprints/3f1e0c2a-0000-4000-8000-000000000001')).status).toBe(401);
    expect((await app.request('/no/such/path/42')).status).toBe(404);
    const lines = await scrape(app);
    expect(lines).toContain('polaris_http_requests_total{method="GET",route="/api/plans",status="200"} 1');
    expect(lines).toContain('polaris_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    const blueprint = lines.filter((l) =>
      l.startsWith('polaris_http_requests_total{method="GET",route="/api/blueprints/'),
    );
    expect(blueprint).toEqual([
      'polaris_http_requests_total{method="GET",route="/api/blueprints/:id",status="401"} 1',
    ]);
    expect(lines.join('\n')).not.toContain('3f1e0c2a');
    expect(lines.join('\n')).not.toContain('/no/such/path');
    expect(lines).toContain(
      'polaris_http_request_duration_seconds_count{method="GET",route="/api/plans",status="200"} 1',
    );
  });

  it('counts webhook deliveries by outcome: stored, duplicate, bad_signature, too_large', async () => {
    const body = allSamples('events').find((s) => s.file === 'payment.captured.card.json')!.text;
    const eventId = `Metrics${get().backend}01`;
    expect((await deliver(app, body, eventId, TEST_KEYS.webhookSecret)).status).toBe(200);
    expect((await deliver(app, body, eventId, TEST_KEYS.webhookSecret)).status).toBe(200);
    expect((await deliver(app, body, `${eventId}x`, 'not-the-secret-at-all')).status).toBe(401);
    const big = await deliver(app, 'x'.repeat(1024 * 1024 + 1), `${eventId}y`, TEST_KEYS.webhookSecret);
    expect(big.status).toBe(413);
    const lines = await scrape(app);
    for (const [outcome, n] of [
      ['stored', 1],
      ['duplicate', 1],
      ['bad_signature', 1],
      ['too_large', 1],
      ['unavailable', 0],
    ] as const) {
      expect(lines).toContain(`polaris_webhook_deliveries_total{outcome="${outcome}"} ${n}`);
    }
  });

  it('reads the inbox backlog, recent payments and the pool from the database at scrape time', async () => {
    const pending = Number(
      (
        await get()
          .db.selectFrom('razorpay_webhook_events')
          .where('processing_status', 'in', ['pending', 'processing'])
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(pending).toBeGreaterThan(0);
    const lines = await scrape(app);
    expect(lines).toContain('polaris_database_up 1');
    expect(lines).toContain(`polaris_inbox_pending_events ${pending}`);
    expect(lines.some((l) => /^polaris_inbox_oldest_pending_age_seconds \d/.test(l))).toBe(true);
    for (const window of ['5m', '15m']) {
      expect(lines).toContain(`polaris_payments_recent{window="${window}",outcome="captured"} 2`);
      expect(lines).toContain(`polaris_payments_recent{window="${window}",outcome="failed"} 1`);
      expect(lines).toContain(`polaris_payment_success_ratio{window="${window}"} ${2 / 3}`);
    }
    expect(lines.some((l) => /^polaris_db_pool_connections\{state="in_use"\} \d+$/.test(l))).toBe(true);
    expect(lines).toContain('polaris_db_pool_waiting_requests 0');
    expect(lines.filter((l) => l.startsWith('polaris_flag_state'))).toEqual([
      'polaris_flag_state{flag="payments"} 1',
      'polaris_flag_state{flag="maintenance"} 0',
      'polaris_flag_state{flag="read_only"} 0',
    ]);
  });

  it('exports each flag as the flags service reads it, at scrape time', async () => {
    const { ctx } = h;
    await setFlag({ ctx, input: { name: 'payments', state: 'off', reason: 'metrics test', actor: 'test' } });
    try {
      expect(await scrape(app)).toContain('polaris_flag_state{flag="payments"} 0');
    } finally {
      await setFlag({ ctx, input: { name: 'payments', state: 'on', reason: 'metrics test', actor: 'test' } });
    }
    expect(await scrape(app)).toContain('polaris_flag_state{flag="payments"} 1');
  });

  it('refuses the cron tick without CRON_SECRET or ADMIN_TOKEN (401), and changes nothing', async () => {
    const before = await scrape(app);
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-secret-0123456789' },
      { authorization: TEST_CRON_SECRET },
    ]) {
      const res = await app.request('/api/cron/tick', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: {
          code: 'unauthorized',
          message: 'the cron tick needs Authorization: Bearer $CRON_SECRET (or $ADMIN_TOKEN)',
        },
      });
    }
    const after = await scrape(app);
    const processing = (lines: string[]) => lines.filter((l) => l.startsWith('polaris_inbox_events_total'));
    expect(processing(after)).toEqual(processing(before));
  });

  it('runs the inbox within its budget with CRON_SECRET (as Vercel Cron sends it) or ADMIN_TOKEN, and reports what it did', async () => {
    const res = await app.request('/api/cron/tick', { headers: CRON });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Record<string, number | string | unknown[]>;
    expect(report).toMatchObject({
      ok: true,
      stopped: 'drained',
      jobs: expect.arrayContaining([
        expect.objectContaining({ name: 'revert-expired-flags', ok: true }),
        expect.objectContaining({ name: 'evaluate-alerts', ok: true }),
        expect.objectContaining({ name: 'notifications', ok: true }),
      ]),
    });
    expect((report.jobs as { ok: boolean }[]).filter((j) => !j.ok)).toEqual([]);
    expect(report.passes).toBeGreaterThanOrEqual(1);
    expect(report.claimed).toBeGreaterThanOrEqual(1);
    const lines = await scrape(app);
    for (const outcome of ['processed', 'retried', 'failed', 'skipped'] as const) {
      expect(lines).toContain(`polaris_inbox_events_total{outcome="${outcome}"} ${report[outcome]}`);
    }
    const byAdmin = await app.request('/api/cron/tick', { method: 'POST', headers: ADMIN });
    expect(byAdmin.status).toBe(200);
    expect(await byAdmin.json()).toMatchObject({ ok: true, claimed: 0, stopped: 'drained' });
  });

  it('needs ADMIN_TOKEN in production; open on loopback in development, 401 from elsewhere without a token', async () => {
    const production = appFor({ ...h.ctx, settings: { ...h.ctx.settings, env: 'production' } });
    const loopback = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
    const remote = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };
    const refused = await production.request('/metrics', {}, loopback);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      error: { code: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer $ADMIN_TOKEN' },
    });
    expect(
      (await production.request('/metrics', { headers: { authorization: 'Bearer nope-nope-nope-nope' } }))
        .status,
    ).toBe(401);
    expect((await production.request('/metrics', { headers: ADMIN })).status).toBe(200);

    const development = appFor({ ...h.ctx, settings: { ...h.ctx.settings, env: 'development' } });
    expect((await development.request('/metrics', {}, loopback)).status).toBe(200);
    expect(
      (
        await development.request(
          '/metrics',
          {},
          { incoming: { socket: { remoteAddress: '::ffff:127.0.0.1' } } },
        )
      ).status,
    ).toBe(200);
    expect((await development.request('/metrics', {}, remote)).status).toBe(401);
    expect((await development.request('/metrics')).status).toBe(401);
    expect((await development.request('/metrics', { headers: ADMIN }, remote)).status).toBe(200);
  });
});

describe('GET /metrics and the cron tick with the database unreachable', () => {
  let dead: { h: Harness; handle: KyselyHandle; app: ReturnType<typeof appFor> };

  beforeAll(async () => {
    const url = `postgresql://polaris@127.0.0.1:${await findFreePort()}/none`;
    const handle = createKysely(url, { max: 2 });
    const h = await createTestContext({
      ...handle,
      url,
      backend: 'postgres',
      close: async () => {},
    } as TestDatabase);
    dead = { h, handle, app: appFor(h.ctx, handle.pool) };
  });
  afterAll(async () => {
    await dead?.h.close();
    await dead?.handle.db.destroy();
  });

  it('still answers /metrics 200 with polaris_database_up 0 and no database gauge, never a 500', async () => {
    const lines = await scrape(dead.app);
    expect(lines).toContain('polaris_database_up 0');
    for (const name of [
      'polaris_inbox_pending_events',
      'polaris_payment_success_ratio',
      'polaris_payments_recent',
    ]) {
      expect(
        lines.filter((l) => l.startsWith(name)),
        name,
      ).toEqual([]);
    }
    expect(lines).toContain('polaris_webhook_deliveries_total{outcome="stored"} 0');
  });

  it('counts a delivery the database could not take as unavailable (503, so Razorpay retries)', async () => {
    const body = allSamples('events').find((s) => s.file === 'payment.captured.card.json')!.text;
    const res = await deliver(dead.app, body, 'MetricsDead01', TEST_KEYS.webhookSecret);
    expect(res.status).toBe(503);
    expect(await scrape(dead.app)).toContain('polaris_webhook_deliveries_total{outcome="unavailable"} 1');
  });

  it('answers the cron tick 503 database_unavailable with Retry-After', async () => {
    const res = await dead.app.request('/api/cron/tick', { headers: CRON });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: 'database_unavailable' } });
  });
});
