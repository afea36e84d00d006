import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKysely } from '../src/adapters/db/connection.ts';
import { createRepos, createUnitOfWork } from '../src/adapters/db/repos.ts';
import { signWebhookBody } from '../src/adapters/razorpay/signature.ts';
import { createHttpApp } from '../src/interfaces/http/app.ts';
import { webhookRoutes } from '../src/interfaces/http/routes/webhooks.ts';
import { sessionMiddleware } from '../src/interfaces/http/session.ts';
import { processInbox } from '../src/services/webhooks/process-inbox.ts';
import { TEST_AUTH } from './support/accounts.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { createUser } from './support/seed.ts';
import { createNavigatorPlan, postWebhook, signed, subscribeAndPay, webhookApp } from './webhook-fixtures.ts';

describeEachBackend('webhook bad input', { migrated: true }, (get) => {
  let h: Awaited<ReturnType<typeof createTestContext>>;
  let app: ReturnType<typeof webhookApp>;
  let paid: { id: string; body: string };

  const countRows = async (table: 'razorpay_webhook_events' | 'subscriptions' | 'payments') =>
    Number(
      (
        await get()
          .db.selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stored = (eventId: string) =>
    get()
      .db.selectFrom('razorpay_webhook_events')
      .selectAll()
      .where('event_id', '=', eventId)
      .executeTakeFirst();

  beforeAll(async () => {
    h = await createTestContext(get());
    app = webhookApp(h.ctx);
    const userId = await createUser(get().db, `bad-input-${get().backend}@example.com`);
    await subscribeAndPay(h, userId, await createNavigatorPlan(h.ctx));
    const charged = h.emulator.events().find((e) => e.event === 'subscription.charged');
    if (!charged) throw new Error('the emulator sent no subscription.charged');
    paid = charged;
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a forged signature with 401, logs one security line and stores nothing', async () => {
    const securityLines = () => h.logLines.filter((l) => l.includes('webhook_signature_rejected')).length;
    const before = securityLines();
    const d = signed(paid, TEST_KEYS.webhookSecret);
    const res = await postWebhook(app, d.body, { ...d.headers, 'x-razorpay-signature': 'ab'.repeat(32) });
    expect(res.status).toBe(401);
    expect(securityLines()).toBe(before + 1);
    expect(h.logLines.join('')).not.toContain(TEST_KEYS.webhookSecret);
    expect(await stored(paid.id)).toBeUndefined();
  });

  it('refuses a body signed with the wrong secret with 401 and stores nothing', async () => {
    const d = signed(paid, 'not-the-webhook-secret');
    const res = await postWebhook(app, d.body, d.headers);
    expect(res.status).toBe(401);
    expect(await countRows('razorpay_webhook_events')).toBe(0);
  });

  it('refuses a delivery without X-Razorpay-Signature with 400 and stores nothing', async () => {
    const { 'x-razorpay-signature': _, ...headers } = signed(paid, TEST_KEYS.webhookSecret).headers;
    const res = await postWebhook(app, paid.body, headers);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect(await countRows('razorpay_webhook_events')).toBe(0);
  });

  it('refuses a truncated body (signature of the whole) with 401 and stores nothing', async () => {
    const d = signed(paid, TEST_KEYS.webhookSecret);
    const res = await postWebhook(app, d.body.slice(0, Math.floor(d.body.length / 2)), d.headers);
    expect(res.status).toBe(401);
    expect(await countRows('razorpay_webhook_events')).toBe(0);
  });

  it('refuses a 2 MiB body with 413, streamed or with its length declared, even when correctly signed, and stores nothing', async () => {
    const big = JSON.stringify({ ...JSON.parse(paid.body), padding: 'x'.repeat(2 * 1024 * 1024) });
    const headers = {
      'content-type': 'application/json',
      'x-razorpay-event-id': 'BigBody0000001',
      'x-razorpay-signature': signWebhookBody(big, TEST_KEYS.webhookSecret),
    };
    const declared: Record<string, string> = { 'content-length': String(Buffer.byteLength(big)) };
    for (const length of [{}, declared]) {
      expect((await postWebhook(app, big, { ...headers, ...length })).status).toBe(413);
    }
    expect(await countRows('razorpay_webhook_events')).toBe(0);
  });

  it('reads a body whose declared length is within the limit whole', async () => {
    const d = signed(paid, TEST_KEYS.webhookSecret);
    const declared = await postWebhook(app, d.body, {
      ...d.headers,
      'content-length': String(Buffer.byteLength(d.body)),
    });
    expect(declared.status).toBe(200);
    expect(await countRows('razorpay_webhook_events')).toBe(1);
    await get().db.deleteFrom('razorpay_webhook_events').execute();
  });

  it('refuses invalid JSON and a non-envelope with a valid signature with 400, not stored', async () => {
    for (const body of ['{"entity":"event",', '{"hello":"world"}']) {
      const res = await postWebhook(app, body, {
        'x-razorpay-event-id': 'NotJson0000001',
        'x-razorpay-signature': signWebhookBody(body, TEST_KEYS.webhookSecret),
      });
      expect(res.status).toBe(400);
    }
    expect(await countRows('razorpay_webhook_events')).toBe(0);
  });

  it('accepts the previous secret during a rotation', async () => {
    const rotated = webhookApp({
      ...h.ctx,
      settings: { ...h.ctx.settings, webhookSecrets: ['new-secret-x', TEST_KEYS.webhookSecret] },
    });
    const d = signed(paid, TEST_KEYS.webhookSecret);
    const res = await postWebhook(rotated, d.body, d.headers);
    expect(res.status).toBe(200);
    expect((await stored(paid.id))?.processing_status).toBe('pending');
  });

  it('stores a well-signed event of an unknown type as skipped and answers 200', async () => {
    const body = JSON.stringify({ ...JSON.parse(paid.body), event: 'payment.dispute.created' });
    const res = await postWebhook(app, body, {
      'x-razorpay-event-id': 'Dispute0000001',
      'x-razorpay-signature': signWebhookBody(body, TEST_KEYS.webhookSecret),
    });
    expect(res.status).toBe(200);
    const row = await stored('Dispute0000001');
    expect(row?.processing_status).toBe('skipped');
    expect(row?.payload).toBe(body);
  });

  it('refuses with 400 a signed event whose values cannot be stored, and stores the 50 valid deliveries sent beside it', async () => {
    const template = { ...JSON.parse(paid.body), event: 'payment.dispute.created' };
    const deliver = (id: string, envelope: unknown) => {
      const body = JSON.stringify(envelope);
      return postWebhook(app, body, {
        'x-razorpay-event-id': id,
        'x-razorpay-signature': signWebhookBody(body, TEST_KEYS.webhookSecret),
      });
    };
    const valid = Array.from({ length: 50 }, (_, i) => `Beside${String(i).padStart(8, '0')}`);
    const [nul, farFuture, ...rest] = await Promise.all([
      deliver('Unstorable0001', { ...template, account_id: 'acc_\u0000nul' }),
      deliver('Unstorable0002', { ...template, created_at: 9e15 }),
      ...valid.map((id) => deliver(id, template)),
    ]);
    for (const res of [nul!, farFuture!]) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    }
    expect(rest.map((r) => r.status)).toEqual(valid.map(() => 200));
    expect(await stored('Unstorable0001')).toBeUndefined();
    expect(await stored('Unstorable0002')).toBeUndefined();
    const beside = await get()
      .db.selectFrom('razorpay_webhook_events')
      .select('event_id')
      .where('event_id', 'like', 'Beside%')
      .execute();
    expect(beside).toHaveLength(50);
  });

  it('stores an event for a subscription Razorpay does not know, tries it three times, then skips it with the reason; no billing row appears', async () => {
    const envelope = JSON.parse(paid.body);
    envelope.payload.subscription.entity.id = 'sub_Unknown0000001';
    envelope.payload.subscription.entity.notes = [];
    delete envelope.payload.payment;
    const body = JSON.stringify(envelope);
    const res = await postWebhook(app, body, {
      'x-razorpay-event-id': 'UnknownSub0001',
      'x-razorpay-signature': signWebhookBody(body, TEST_KEYS.webhookSecret),
    });
    expect(res.status).toBe(200);
    for (let i = 0; i < 3; i++) await processInbox({ ctx: h.ctx, input: { backoffMs: 0 } });
    const row = await stored('UnknownSub0001');
    expect(row?.processing_status).toBe('skipped');
    expect(row?.attempts).toBe(3);
    expect(row?.error_message).toMatch(/sub_Unknown0000001/);
    expect(row?.error_message).toMatch(/The id provided does not exist/);
    const ghost = await get()
      .db.selectFrom('subscriptions')
      .select('subscription_id')
      .where('razorpay_subscription_id', '=', 'sub_Unknown0000001')
      .execute();
    expect(ghost).toEqual([]);
  });

  it('answers 200 to an old event id sent again and changes nothing', async () => {
    await processInbox({ ctx: h.ctx, input: { backoffMs: 0 } });
    const first = await stored(paid.id);
    expect(first?.processing_status).toBe('processed');
    const billing = async () => ({
      subs: await get().db.selectFrom('subscriptions').selectAll().execute(),
      pays: await get().db.selectFrom('payments').selectAll().execute(),
    });
    const before = await billing();
    expect(before.subs).toHaveLength(1);
    const d = signed(paid, TEST_KEYS.webhookSecret);
    const res = await postWebhook(app, d.body, d.headers);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { duplicate: boolean }).duplicate).toBe(true);
    await processInbox({ ctx: h.ctx, input: { backoffMs: 0 } });
    expect(await stored(paid.id)).toEqual(first);
    expect(await billing()).toEqual(before);
  });

  it('answers 503 when the database cannot store, never 200', async () => {
    const dead = createKysely('postgresql://polaris:x@127.0.0.1:1/none', { max: 1 });
    const ctx = { ...h.ctx, repos: createRepos(dead.db), transaction: createUnitOfWork(dead.db) };
    const body = JSON.stringify({ ...JSON.parse(paid.body), created_at: 1 });
    const res = await postWebhook(webhookApp(ctx), body, {
      'x-razorpay-event-id': 'DatabaseDown01',
      'x-razorpay-signature': signWebhookBody(body, TEST_KEYS.webhookSecret),
    });
    expect(res.status).toBe(503);
    await dead.db.destroy();
    expect(await stored('DatabaseDown01')).toBeUndefined();
  });

  it('GET shows anonymous callers only { ok }, and admins the inbox, never a secret', async () => {
    const anonymous = await app.request('/api/webhooks/razorpay');
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ ok: true });
    const admin = createHttpApp({
      log: h.ctx.log,
      readiness: async () => ({ ok: true, checks: {} }),
      middleware: [sessionMiddleware(h.ctx)],
      routes: [webhookRoutes(h.ctx)],
    });
    const res = await admin.request('/api/webhooks/razorpay', {
      headers: { authorization: `Bearer ${TEST_AUTH.adminToken}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(TEST_KEYS.webhookSecret);
    const json = JSON.parse(text);
    expect(Object.keys(json).sort()).toEqual([
      'failed',
      'lastReceivedAt',
      'ok',
      'pending',
      'secretConfigured',
    ]);
    expect(json).toMatchObject({ ok: true, secretConfigured: true, failed: 0, pending: 0 });
    expect(typeof json.lastReceivedAt).toBe('string');
  });
});
