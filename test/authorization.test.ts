import { afterAll, beforeAll, expect, it } from 'vitest';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { postJson, signUp } from './support/accounts.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { fullApp } from './support/full-app.ts';

type Who = 'owner' | 'other' | 'anonymous';

describeEachBackend('authorization: every route checks who asks', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let app: ReturnType<typeof fullApp>;
  const cookies: Record<Who, string> = { owner: '', other: '', anonymous: '' };
  let blueprintId = '';

  const call = (who: Who, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        'content-type': 'application/json',
        origin: 'http://localhost:3000',
        ...(cookies[who] ? { cookie: cookies[who] } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    t = await createTestContext(get());
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
    app = fullApp(t.ctx);
    cookies.owner = (await signUp(app, 'owner@example.com')).cookie;
    cookies.other = (await signUp(app, 'other@example.com')).cookie;
    const created = await call('owner', 'POST', '/api/blueprints', {
      title: 'Onboarding',
      content: { a: 1 },
    });
    expect(created.status).toBe(201);
    blueprintId = ((await created.json()) as { id: string }).id;
    const checkout = await call('owner', 'POST', '/api/subscriptions', {
      tier: 'explorer',
      cycle: 'monthly',
    });
    expect(checkout.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('public routes answer anyone', async () => {
    for (const path of ['/api/health', '/api/plans'])
      expect((await call('anonymous', 'GET', path)).status).toBe(200);
  });

  it.each([
    ['GET', '/api/blueprints'],
    ['POST', '/api/blueprints'],
    ['GET', '/api/usage'],
    ['POST', '/api/subscriptions'],
    ['POST', '/api/subscriptions/verify'],
    ['POST', '/api/subscriptions/cancel'],
    ['GET', '/api/subscriptions/current'],
    ['GET', '/api/payments'],
  ])('anonymous %s %s is 401', async (method, path) => {
    const res = await call('anonymous', method, path, method === 'POST' ? {} : undefined);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it("another user's blueprint is invisible and untouchable (404), the owner's works", async () => {
    for (const [method, path] of [
      ['GET', `/api/blueprints/${blueprintId}`],
      ['POST', `/api/blueprints/${blueprintId}/save`],
      ['DELETE', `/api/blueprints/${blueprintId}`],
    ] as const) {
      expect((await call('anonymous', method, path)).status).toBe(401);
      expect((await call('other', method, path)).status).toBe(404);
    }
    expect((await call('owner', 'GET', `/api/blueprints/${blueprintId}`)).status).toBe(200);
    const otherList = (await (await call('other', 'GET', '/api/blueprints')).json()) as { items: unknown[] };
    expect(otherList.items).toEqual([]);
  });

  it("another user sees none of the owner's subscription or payments", async () => {
    const mine = (await (await call('owner', 'GET', '/api/subscriptions/current')).json()) as {
      subscription: { razorpaySubscriptionId: string } | null;
    };
    expect(mine.subscription).not.toBeNull();
    const theirs = (await (await call('other', 'GET', '/api/subscriptions/current')).json()) as {
      subscription: unknown;
    };
    expect(theirs.subscription).toBeNull();
    const verify = await call('other', 'POST', '/api/subscriptions/verify', {
      razorpay_payment_id: 'pay_AAAAAAAAAAAAAA',
      razorpay_subscription_id: mine.subscription?.razorpaySubscriptionId,
      razorpay_signature: 'a'.repeat(64),
    });
    expect(verify.status).toBe(404);
    expect((await call('other', 'POST', '/api/subscriptions/cancel', {})).status).toBe(404);
    const sub = await get()
      .db.selectFrom('subscriptions')
      .select('status')
      .where('razorpay_subscription_id', '=', mine.subscription!.razorpaySubscriptionId)
      .executeTakeFirstOrThrow();
    expect(sub.status).toBe('created');
  });

  it('nobody can set their own tier, role or counters through any route', async () => {
    const refused = [
      ['/api/auth/update-user', { role: 'admin' }],
      ['/api/subscriptions', { tier: 'voyager', cycle: 'monthly', amount: 1 }],
      ['/api/subscriptions', { tier: 'developer', cycle: 'monthly' }],
    ] as const;
    for (const [path, body] of refused) {
      const res = await postJson(app, path, body, cookies.other);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
    }
    // Unknown fields on update-user are ignored by better-auth: what matters is that nothing billing-related moves.
    await postJson(
      app,
      '/api/auth/update-user',
      { name: 'x', subscription_tier: 'voyager', blueprint_creation_count: -5 },
      cookies.other,
    );
    const profile = await get()
      .db.selectFrom('user_profiles')
      .select(['subscription_tier', 'role', 'blueprint_creation_count'])
      .where('email', '=', 'other@example.com')
      .executeTakeFirstOrThrow();
    expect(profile).toEqual({ subscription_tier: 'free', role: 'user', blueprint_creation_count: 0 });
  });

  it('the webhook endpoint accepts anyone but stores nothing without a valid signature', async () => {
    const res = await call('anonymous', 'POST', '/api/webhooks/razorpay', { entity: 'event' });
    expect(res.status).toBe(400);
    const count = await get()
      .db.selectFrom('razorpay_webhook_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
