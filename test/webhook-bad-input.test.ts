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
  // The charged event of the one subscription set up below; each case delivers it (or a variant)
  // under event ids of its own and looks only at its own rows, so any case can run alone or shuffled.
  let paid: { id: string; body: string };
  const as = (id: string) => ({ id, body: paid.body });

  const stored = (eventId: string) =>
    get()
      .db.selectFrom('razorpay_webhook_events')
      .selectAll()
      .where('event_id', '=', eventId)
      .executeTakeFirst();
  /** Processes the inbox until `eventId` leaves pending; other cases' pending events may share the passes. */
  const processUntilSettled = async (eventId: string) => {
    for (let pass = 0; pass < 10 && (await stored(eventId))?.processing_status === 'pending'; pass++) {
      await processInbox({ ctx: h.ctx, input: { backoffMs: 0 } });
    }
  };

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
    const linesBefore = h.logLines.length;
    const d = signed(as('ForgedSig00001'), TEST_KEYS.webhookSecret);
    const res = await postWebhook(app, d.body, { ...d.headers, 'x-razorpay-signature': 'ab'.repeat(32) });
    expect(res.status).toBe(401);
    const lines = h.logLines.slice(linesBefore);
    expect(lines.filter((l) => l.includes('webhook_signature_rejected'))).toHaveLength(1);
    expect(lines.join('')).not.toContain(TEST_KEYS.webhookSecret);
    expect(await stored('ForgedSig00001')).toBeUndefined();
  });

  it('refuses a body signed with the wrong secret with 401 and stores nothing', async () => {
    const d = signed(as('WrongSecret001'), 'not-the-webhook-secret');
    const res = await postWebhook(app, d.body, d.headers);
    expect(res.status).toBe(401);
    expect(await stored('WrongSecret001')).toBeUndefined();
  });

  it('refuses a delivery without X-Razorpay-Signature with 400 and stores nothing', async () => {
    const { 'x-razorpay-signature': _, ...headers } = signed(
      as('NoSignature001'),
      TEST_KEYS.webhookSecret,
    ).headers;
    const res = await postWebhook(app, paid.body, headers);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect(await stored('NoSignature001')).toBeUndefined();
  });

  it('refuses a truncated body (signature of the whole) with 401 and stores nothing', async () => {
    const d = signed(as('Truncated00001'), TEST_KEYS.webhookSecret);
    const res = await postWebhook(app, d.body.slice(0, Math.floor(d.body.length / 2)), d.headers);
    expect(res.status).toBe(401);
    expect(await stored('Truncated00001')).toBeUndefined();
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
    expect(await stored('BigBody0000001')).toBeUndefined();
  });

  it('reads a body whose declared length is within the limit whole', async () => {
    const d = signed(as('Declared000001'), TEST_KEYS.webhookSecret);
    const declared = await postWebhook(app, d.body, {
      ...d.headers,
      'content-length': String(Buffer.byteLength(d.body)),
    });
    expect(declared.status).toBe(200);
    expect((await stored('Declared000001'))?.payload).toBe(d.body);
  });

  it('refuses invalid JSON and a non-envelope with a valid signature with 400, not stored', async () => {
    for (const body of ['{"entity":"event",', '{"hello":"world"}']) {
      const res = await postWebhook(app, body, {
        'x-razorpay-event-id': 'NotJson0000001',
        'x-razorpay-signature': signWebhookBody(body, TEST_KEYS.webhookSecret),
      });
      expect(res.status).toBe(400);
    }
    expect(await stored('NotJson0000001')).toBeUndefined();
  });

  it('accepts the previous secret during a rotation', async () => {
    const rotated = webhookApp({
      ...h.ctx,
      settings: { ...h.ctx.settings, webhookSecrets: ['new-secret-x', TEST_KEYS.webhookSecret] },
    });
    const d = signed(as('Rotation000001'), TEST_KEYS.webhookSecret);
    const res = await postWebhook(rotated, d.body, d.headers);
    expect(res.status).toBe(200);
    expect((await stored('Rotation000001'))?.processing_status).toBe('pending');
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
    await processUntilSettled('UnknownSub0001');
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
    const d = signed(as('OldEvent000001'), TEST_KEYS.webhookSecret);
    expect((await postWebhook(app, d.body, d.headers)).status).toBe(200);
    await processUntilSettled('OldEvent000001');
    const first = await stored('OldEvent000001');
    expect(first?.processing_status).toBe('processed');
    const billing = async () => ({
      subs: await get().db.selectFrom('subscriptions').selectAll().execute(),
      pays: await get().db.selectFrom('payments').selectAll().execute(),
    });
    const before = await billing();
    expect(before.subs).toHaveLength(1);
    const res = await postWebhook(app, d.body, d.headers);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { duplicate: boolean }).duplicate).toBe(true);
    await processInbox({ ctx: h.ctx, input: { backoffMs: 0 } });
    expect(await stored('OldEvent000001')).toEqual(first);
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
    const adminView = async () => {
      const res = await admin.request('/api/webhooks/razorpay', {
        headers: { authorization: `Bearer ${TEST_AUTH.adminToken}` },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(TEST_KEYS.webhookSecret);
      return JSON.parse(text);
    };
    const before = await adminView();
    const d = signed(as('StatusView0001'), TEST_KEYS.webhookSecret);
    expect((await postWebhook(app, d.body, d.headers)).status).toBe(200);
    const after = await adminView();
    expect(Object.keys(after).sort()).toEqual([
      'failed',
      'lastReceivedAt',
      'ok',
      'pending',
      'secretConfigured',
    ]);
    expect(after).toMatchObject({
      ok: true,
      secretConfigured: true,
      failed: before.failed,
      pending: before.pending + 1,
    });
    expect(typeof after.lastReceivedAt).toBe('string');
  });
});
