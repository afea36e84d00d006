import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createKysely, type KyselyHandle } from '../src/adapters/db/connection.ts';
import { findFreePort } from '../src/adapters/db/port-probe.ts';
import { setFlag } from '../src/services/flags/set-flag.ts';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { processInbox } from '../src/services/webhooks/process-inbox.ts';
import { cookiesFrom, postJson, signUp, TEST_AUTH } from './support/accounts.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend, type TestDatabase } from './support/databases.ts';
import { resetFlags } from './support/flags.ts';
import { fullApp, serveFullApp } from './support/full-app.ts';
import { waitFor } from './support/wait.ts';
import { type CallerRows, writeCallsFor } from './support/write-routes.ts';
import { signed } from './webhook-fixtures.ts';

const PASSWORD = 'correct-horse-battery';
const DAY = 86_400;
// What maintenance lets through (read-only refuses them): sessions, and status-page subscriptions.
const SESSION_PATHS = [
  '/api/auth/sign-in/email',
  '/api/auth/sign-out',
  '/sign-in',
  '/sign-out',
  '/status/subscribe',
  '/status/unsubscribe',
];
type Json = { error?: { code: string; message: string } } & Record<string, unknown>;

describeEachBackend(
  'kill switches at the HTTP door: payments off and maintenance',
  { migrated: true },
  (get) => {
    let t: Awaited<ReturnType<typeof createTestContext>>;
    let served: Awaited<ReturnType<typeof serveFullApp>>;
    const owner: CallerRows = { email: 'ks-owner@example.com', password: PASSWORD, blueprintId: '' };
    let ownerCookie = '';
    let adminCookie = '';
    let payerCookie = '';
    let payerSubscription = '';

    const request = (
      path: string,
      init: { method?: string; body?: unknown; cookie?: string; bearer?: boolean } = {},
    ) =>
      served.app.request(path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          'content-type': 'application/json',
          origin: TEST_AUTH.baseUrl,
          ...(init.cookie ? { cookie: init.cookie } : {}),
          ...(init.bearer ? { authorization: `Bearer ${TEST_AUTH.adminToken}` } : {}),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    const flag = (name: string, state: 'on' | 'off', extra: { message?: string; for?: string } = {}) =>
      setFlag({ ctx: t.ctx, input: { name, state, reason: 'enforcement test', actor: 'test', ...extra } });
    const subscriptionsOf = (email: string) =>
      get()
        .db.selectFrom('subscriptions')
        .innerJoin('user_profiles', 'user_profiles.user_id', 'subscriptions.user_id')
        .select(['subscriptions.subscription_id', 'subscriptions.status', 'subscriptions.razorpay_plan_id'])
        .where('user_profiles.email', '=', email)
        .orderBy('subscriptions.created_at')
        .execute();
    const settle = async () => {
      await waitFor(() => !t.emulator.deliveries().some((d) => d.status === 'pending'), 30_000, 'deliveries');
      for (let i = 0; i < 50; i++) {
        if ((await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } })).claimed === 0) break;
      }
    };
    const expectRefused = async (res: Response, code: string, retryAfter: string, what = '') => {
      const body = (await res.json()) as Json;
      expect([what, res.status, body.error?.code]).toEqual([what, 503, code]);
      expect(res.headers.get('retry-after'), what).toBe(retryAfter);
      return body.error?.message ?? '';
    };

    beforeAll(async () => {
      t = await createTestContext(get());
      expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
      served = await serveFullApp(t.ctx);
      t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
      await resetFlags(get().db);
      ownerCookie = (await signUp(served.app, owner.email, PASSWORD)).cookie;
      adminCookie = (await signUp(served.app, 'ks-admin@example.com', PASSWORD)).cookie;
      await get()
        .db.updateTable('user_profiles')
        .set({ role: 'admin' })
        .where('email', '=', 'ks-admin@example.com')
        .execute();
      const created = await request('/api/blueprints', {
        body: { title: 'mine', content: {} },
        cookie: ownerCookie,
      });
      owner.blueprintId = ((await created.json()) as { id: string }).id;
      // A paying subscriber, for plan changes, renewals and cancellation while payments are off.
      payerCookie = (await signUp(served.app, 'ks-payer@example.com', PASSWORD)).cookie;
      const checkout = (await (
        await request('/api/subscriptions', {
          body: { tier: 'navigator', cycle: 'monthly' },
          cookie: payerCookie,
        })
      ).json()) as { checkout: { subscription_id: string } };
      payerSubscription = checkout.checkout.subscription_id;
      const paid = await fetch(`${t.emulatorUrl}/_emulator/checkout/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subscription_id: payerSubscription, instrument: 'card_success' }),
      });
      const verified = await request('/api/subscriptions/verify', {
        body: await paid.json(),
        cookie: payerCookie,
      });
      expect(verified.status).toBe(200);
      await settle();
    });
    afterEach(async () => {
      await resetFlags(get().db);
    });
    afterAll(async () => {
      await served?.close();
      await t?.close();
    });

    it('payments off: checkout and plan change answer 503 payments_disabled with the message and Retry-After from the expiry; nothing is written', async () => {
      await flag('payments', 'off', { message: 'Razorpay incident', for: '30m' });
      const freshCookie = (await signUp(served.app, 'ks-fresh@example.com', PASSWORD)).cookie;
      const remoteBefore = t.emulator.ctx.state.subscriptions.size;
      const refused = await request('/api/subscriptions', {
        body: { tier: 'navigator', cycle: 'monthly' },
        cookie: freshCookie,
      });
      expect(await expectRefused(refused, 'payments_disabled', '1800')).toMatch(/Razorpay incident/);
      expect(await subscriptionsOf('ks-fresh@example.com')).toEqual([]);

      const payerBefore = await subscriptionsOf('ks-payer@example.com');
      const change = await request('/api/subscriptions', {
        body: { tier: 'voyager', cycle: 'monthly' },
        cookie: payerCookie,
      });
      expect(await expectRefused(change, 'payments_disabled', '1800')).toMatch(/nothing was charged/);
      expect(await subscriptionsOf('ks-payer@example.com')).toEqual(payerBefore);
      expect(t.emulator.ctx.state.subscriptions.size).toBe(remoteBefore);
    });

    it('payments off: blueprints, renewals and failures arriving by webhook, and cancellation keep working', async () => {
      await flag('payments', 'off', { message: 'Razorpay incident' });
      expect(
        (
          await request('/api/blueprints', {
            body: { title: 'still', content: { a: 1 } },
            cookie: payerCookie,
          })
        ).status,
      ).toBe(201);
      const payments = async () =>
        (
          await get()
            .db.selectFrom('payments')
            .innerJoin('user_profiles', 'user_profiles.user_id', 'payments.user_id')
            .select('payments.status')
            .where('user_profiles.email', '=', 'ks-payer@example.com')
            .execute()
        ).map((p) => p.status);
      expect(await payments()).toEqual(['captured']);
      t.emulator.advanceClock(31 * DAY);
      await settle();
      expect(await payments()).toEqual(['captured', 'captured']);
      expect(t.emulator.failNextCharges(payerSubscription, 1)).toBe(true);
      t.emulator.advanceClock(31 * DAY);
      await settle();
      expect(await payments()).toContain('failed');
      const cancel = await request('/api/subscriptions/cancel', {
        body: { atCycleEnd: false },
        cookie: payerCookie,
      });
      expect(cancel.status).toBe(200);
      expect((await subscriptionsOf('ks-payer@example.com')).at(-1)?.status).toBe('cancelled');
    });

    it('payments off: a checkout paid before the switch is still verified', async () => {
      const cookie = (await signUp(served.app, 'ks-midway@example.com', PASSWORD)).cookie;
      const started = (await (
        await request('/api/subscriptions', { body: { tier: 'explorer', cycle: 'monthly' }, cookie })
      ).json()) as { checkout: { subscription_id: string } };
      await flag('payments', 'off', { message: 'Razorpay incident' });
      const paid = await fetch(`${t.emulatorUrl}/_emulator/checkout/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          subscription_id: started.checkout.subscription_id,
          instrument: 'card_success',
        }),
      });
      const verified = await request('/api/subscriptions/verify', { body: await paid.json(), cookie });
      expect(verified.status).toBe(200);
      expect((await subscriptionsOf('ks-midway@example.com')).at(-1)?.status).toBe('active');
    });

    it('PAYMENTS_ENABLED=false wins over a stored on through the same rule, and readiness says the env won', async () => {
      const ctx = { ...t.ctx, settings: { ...t.ctx.settings, paymentsEnabled: false } };
      const app = fullApp(ctx);
      const refused = await app.request('/api/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: TEST_AUTH.baseUrl, cookie: ownerCookie },
        body: JSON.stringify({ tier: 'navigator', cycle: 'monthly' }),
      });
      expect(await expectRefused(refused, 'payments_disabled', '60')).toMatch(/PAYMENTS_ENABLED=false/);
      const ready = await app.request('/api/health/ready');
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail: string }> };
      expect(body.checks.flags).toEqual({
        ok: true,
        detail: expect.stringContaining('payments off (PAYMENTS_ENABLED=false overrides the stored on)'),
      });
      const stored = await (await served.app.request('/api/health/ready')).json();
      expect(stored).toMatchObject({
        checks: { flags: { detail: expect.stringContaining('payments on (stored)') } },
      });
    });

    it('/pricing shows a banner and disabled buttons while payments are off, and buttons that buy otherwise', async () => {
      const page = async () =>
        (await served.app.request('/pricing', { headers: { cookie: ownerCookie } })).text();
      const normal = await page();
      expect(normal).not.toContain('id="mode-banner"');
      expect(normal).toMatch(/<button type="button" data-tier="navigator" class="buy">/);
      await flag('payments', 'off', { message: 'Razorpay incident' });
      const off = await page();
      expect(off).toContain('id="banner-payments"');
      expect(off).toContain('Razorpay incident');
      expect(off).not.toMatch(/<button type="button" data-tier="navigator" class="buy">/);
      expect(off).toMatch(/<button[^>]*data-tier="navigator"[^>]*disabled/);
    });

    it('maintenance: every non-admin write under /api answers 503 maintenance with Retry-After; reads, sign-in, sign-out and webhooks pass', async () => {
      await flag('maintenance', 'on', { message: 'Upgrading the database', for: '10m' });
      const calls = Object.values(writeCallsFor(owner))
        .flat()
        .filter((c) => !SESSION_PATHS.includes(c.path.split('?')[0] ?? c.path));
      expect(calls.length).toBeGreaterThanOrEqual(13);
      for (const call of calls) {
        const res = await request(call.path, { method: call.method, body: call.body, cookie: ownerCookie });
        expect(await expectRefused(res, 'maintenance', '600', call.path)).toMatch(/Upgrading the database/);
      }
      const anonymousSignUp = await postJson(served.app, '/api/auth/sign-up/email', {
        email: 'ks-new@example.com',
        password: PASSWORD,
        name: 'New',
      });
      await expectRefused(anonymousSignUp, 'maintenance', '600', 'anonymous sign-up');
      for (const path of ['/api/blueprints', '/api/subscriptions/current', '/api/usage', '/api/plans']) {
        expect([path, (await request(path, { cookie: ownerCookie })).status]).toEqual([path, 200]);
      }
      const signIn = await postJson(served.app, '/api/auth/sign-in/email', {
        email: owner.email,
        password: PASSWORD,
      });
      expect(signIn.status).toBe(200);
      const signOut = await request('/api/auth/sign-out', { body: {}, cookie: cookiesFrom(signIn) });
      expect(signOut.status).toBe(200);
      const subscribe = await postJson(served.app, '/status/subscribe', { email: 'ks-status@example.com' });
      expect(subscribe.status).toBe(202);
      const delivery = signed(
        {
          id: 'EvtMaintenance01',
          body: JSON.stringify({
            entity: 'event',
            account_id: 'acc_Polaris000001',
            event: 'payment.captured',
            contains: ['payment'],
            payload: { payment: { entity: { id: 'pay_Maintenance001' } } },
            created_at: 1_780_000_000,
          }),
        },
        TEST_KEYS.webhookSecret,
      );
      const webhook = await served.app.request('/api/webhooks/razorpay', {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
      });
      expect(webhook.status).toBe(200);
      await get()
        .db.deleteFrom('razorpay_webhook_events')
        .where('event_id', '=', 'EvtMaintenance01')
        .execute();
    });

    it('maintenance: admins keep acting, readiness stays 200 naming the mode, and pages show the banner', async () => {
      await flag('maintenance', 'on', { message: 'Upgrading the database' });
      const byAdmin = await request('/api/blueprints', {
        body: { title: 'admin', content: {} },
        cookie: adminCookie,
      });
      expect(byAdmin.status).toBe(201);
      const byToken = await request('/api/subscriptions/cancel', {
        body: { atCycleEnd: true },
        bearer: true,
      });
      expect(byToken.status).not.toBe(503);
      const ready = await served.app.request('/api/health/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        ok: true,
        checks: { flags: { ok: true, detail: expect.stringMatching(/^active: maintenance; /) } },
      });
      const page = await (await served.app.request('/pricing')).text();
      expect(page).toContain('id="banner-maintenance"');
      expect(page).toContain('Maintenance: Upgrading the database');
      expect(page).not.toContain('id="banner-payments"');
    });
  },
);

describeEachBackend('kill switches over a database that cannot be reached', { migrated: true }, (get) => {
  let h: Awaited<ReturnType<typeof createTestContext>>;
  let handle: KyselyHandle;

  beforeAll(async () => {
    const url = `postgresql://polaris@127.0.0.1:${await findFreePort()}/none`;
    handle = createKysely(url, { max: 2 });
    h = await createTestContext({
      ...handle,
      url,
      backend: get().backend,
      close: async () => {},
    } as TestDatabase);
  });
  afterAll(async () => {
    await h?.close();
    await handle?.db.destroy();
  });

  it('a write whose flags cannot be read answers 503 database_unavailable with Retry-After; reads that need no database still answer', async () => {
    const app = fullApp(h.ctx);
    const res = await app.request('/api/blueprints', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_AUTH.adminToken}` },
      body: JSON.stringify({ title: 'x', content: {} }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as Json).error).toMatchObject({ code: 'database_unavailable' });
    expect((await app.request('/api/plans')).status).toBe(200);
  });
});
