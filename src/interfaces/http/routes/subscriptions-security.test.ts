import { afterAll, beforeAll, expect, it } from 'vitest';
import { billingApp } from '../../../../test/support/billing-app.ts';
import { createTestContext } from '../../../../test/support/context.ts';
import { describeEachBackend, type TestDatabase } from '../../../../test/support/databases.ts';
import { syncPlans } from '../../../services/plans/sync-plans.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in assertions
type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;

describeEachBackend('subscriptions: bad input and authorization', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let api: ReturnType<typeof billingApp>;
  let db: TestDatabase;
  beforeAll(async () => {
    db = get();
    t = await createTestContext(db);
    api = billingApp(t.ctx, db.db);
    const synced = await syncPlans({ ctx: t.ctx });
    if (!synced.ok) throw synced.error;
  });
  afterAll(async () => {
    await t?.close();
  });

  const remoteCount = () => t.emulator.ctx.state.subscriptions.size;
  const rowsOf = (userId: string) =>
    db.db.selectFrom('subscriptions').selectAll().where('user_id', '=', userId).execute();
  const pay = async (subscriptionId: string) =>
    json(
      await fetch(`${t.emulatorUrl}/_emulator/checkout/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subscription_id: subscriptionId, instrument: 'card_success' }),
      }),
    );

  it('checkout refuses a price, an amount, unknown fields, unknown or unsellable tiers and bad seats', async () => {
    const u = await api.user('tamper@example.com');
    const before = remoteCount();
    const cases: [unknown, RegExp][] = [
      [
        { tier: 'navigator', cycle: 'monthly', amount: 100 },
        /amount: not accepted; the server sets the plan and price/,
      ],
      [{ tier: 'navigator', cycle: 'monthly', price: 1 }, /price: not accepted/],
      [{ tier: 'navigator', cycle: 'monthly', plan_id: 'plan_Cheap000000001' }, /plan_id: not accepted/],
      [
        { tier: 'navigator', cycle: 'monthly', subscription_tier: 'armada' },
        /unknown field: subscription_tier/,
      ],
      [{ tier: 'platinum', cycle: 'monthly' }, /^tier: /],
      [{ tier: 'navigator', cycle: 'weekly' }, /^cycle: /],
      [{ tier: 'navigator' }, /^cycle: /],
      [{ tier: 'free', cycle: 'monthly' }, /free cannot be bought/],
      [{ tier: 'enterprise', cycle: 'yearly' }, /enterprise cannot be bought/],
      [{ tier: 'developer', cycle: 'yearly' }, /developer cannot be bought/],
      [{ tier: 'navigator', cycle: 'monthly', seats: 3 }, /only team tiers .* take seats/],
      [{ tier: 'crew', cycle: 'monthly', seats: 0 }, /^seats: /],
      [{ tier: 'crew', cycle: 'monthly', seats: 2.5 }, /^seats: /],
      [{ tier: 'crew', cycle: 'monthly', seats: '3' }, /^seats: /],
      [{ tier: 'crew', cycle: 'monthly', seats: 100_000 }, /^seats: /],
      ['{"tier":', /not valid JSON/],
      [[], /expected object/],
    ];
    for (const [body, message] of cases) {
      const res = await u.request('/api/subscriptions', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await json(res)).error;
      expect(error.code).toBe('bad_request');
      expect(error.message, JSON.stringify(body)).toMatch(message);
    }
    expect(remoteCount()).toBe(before);
    expect(await rowsOf(u.userId)).toEqual([]);
  });

  it('answers 503 naming `polaris plans sync` when the plan is not synced, and creates nothing', async () => {
    const u = await api.user('unsynced@example.com');
    await db.db.deleteFrom('razorpay_plans').where('tier', '=', 'fleet').execute();
    const before = remoteCount();
    const res = await u.request('/api/subscriptions', {
      body: { tier: 'fleet', cycle: 'monthly', seats: 2 },
    });
    expect(res.status).toBe(503);
    expect((await json(res)).error.message).toMatch(
      /Fleet \(monthly\) is not available yet.*polaris plans sync/,
    );
    expect(remoteCount()).toBe(before);
    expect(await rowsOf(u.userId)).toEqual([]);
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
  });

  it('Razorpay down at checkout: 503, no subscription row left holding the slot', async () => {
    const u = await api.user('outage@example.com');
    t.emulator.startApiOutage({ mode: 'error', status: 503, duration_ms: 60_000 });
    try {
      const res = await u.request('/api/subscriptions', { body: { tier: 'explorer', cycle: 'monthly' } });
      expect(res.status).toBe(503);
      expect((await json(res)).error.message).toMatch(/nothing was charged/);
    } finally {
      t.emulator.stopApiOutage();
    }
    expect(await rowsOf(u.userId)).toEqual([]);
    expect(
      (await u.request('/api/subscriptions', { body: { tier: 'explorer', cycle: 'monthly' } })).status,
    ).toBe(201);
  });

  it('a forged verify signature is refused 400 and changes nothing', async () => {
    const u = await api.user('forger@example.com');
    const checkout = await json(
      await u.request('/api/subscriptions', { body: { tier: 'voyager', cycle: 'monthly' } }),
    );
    const paid = await pay(checkout.checkout.subscription_id);
    // The last hex digit changed to a different one (appending a fixed '0' would equal the real
    // signature whenever that already ends in 0, one run in sixteen).
    const last = paid.razorpay_signature.slice(-1);
    const flipped = `${paid.razorpay_signature.slice(0, 63)}${last === '0' ? '1' : '0'}`;
    for (const signature of ['0'.repeat(64), flipped, 'not-hex']) {
      const res = await u.request('/api/subscriptions/verify', {
        body: { ...paid, razorpay_signature: signature },
      });
      expect(res.status).toBe(400);
      expect((await json(res)).error.message).toMatch(/signature does not match; nothing was changed/);
    }
    // A real signature for another payment id does not carry over either.
    const swapped = { ...paid, razorpay_payment_id: 'pay_Other000000001' };
    expect((await u.request('/api/subscriptions/verify', { body: swapped })).status).toBe(400);
    expect((await rowsOf(u.userId)).map((r) => r.status)).toEqual(['created']);
    const profile = await db.db
      .selectFrom('user_profiles')
      .select('subscription_tier')
      .where('user_id', '=', u.userId)
      .executeTakeFirstOrThrow();
    expect(profile.subscription_tier).toBe('free');
    expect(t.logLines.some((l) => l.includes('checkout signature rejected'))).toBe(true);
    expect(t.logLines.join('\n')).not.toContain(paid.razorpay_signature);
  });

  it("verify of another user's subscription is 404 even with its valid signature; their rows are never shown", async () => {
    const owner = await api.user('owner@example.com');
    const thief = await api.user('thief@example.com');
    const checkout = await json(
      await owner.request('/api/subscriptions', { body: { tier: 'navigator', cycle: 'yearly' } }),
    );
    const paid = await pay(checkout.checkout.subscription_id);
    const stolen = await thief.request('/api/subscriptions/verify', { body: paid });
    expect(stolen.status).toBe(404);
    expect((await json(stolen)).error.message).toBe('no such subscription');
    expect((await rowsOf(owner.userId)).map((r) => r.status)).toEqual(['created']);
    expect((await owner.request('/api/subscriptions/verify', { body: paid })).status).toBe(200);

    expect((await json(await thief.request('/api/subscriptions/current'))).subscription).toBeNull();
    expect((await json(await thief.request('/api/payments'))).items).toEqual([]);
    expect((await thief.request('/api/subscriptions/cancel', { body: {} })).status).toBe(404);
    expect((await rowsOf(owner.userId)).map((r) => [r.status, r.cancel_at_cycle_end])).toEqual([
      ['active', false],
    ]);
    expect((await json(await owner.request('/api/payments'))).items).toHaveLength(1);
  });

  it('verify and cancel refuse malformed bodies with 400', async () => {
    const u = await api.user('malformed@example.com');
    for (const body of [
      {},
      { razorpay_payment_id: 'pay_X', razorpay_subscription_id: 'sub_Y' },
      { razorpay_payment_id: 'x', razorpay_subscription_id: 'sub_Y', razorpay_signature: 'a' },
      {
        razorpay_payment_id: 'pay_X',
        razorpay_subscription_id: 'sub_Y',
        razorpay_signature: 'a',
        tier: 'armada',
      },
    ]) {
      expect((await u.request('/api/subscriptions/verify', { body })).status).toBe(400);
    }
    expect((await u.request('/api/subscriptions/cancel', { body: { atCycleEnd: 'yes' } })).status).toBe(400);
    expect((await u.request('/api/subscriptions/cancel', { body: { status: 'active' } })).status).toBe(400);
    expect((await u.request('/api/payments?limit=0')).status).toBe(400);
    expect((await u.request('/api/payments?limit=abc')).status).toBe(400);
  });

  it('every billing route answers 401 anonymously; no route writes a billing column from the body', async () => {
    for (const [method, path] of [
      ['POST', '/api/subscriptions'],
      ['POST', '/api/subscriptions/verify'],
      ['POST', '/api/subscriptions/cancel'],
      ['GET', '/api/subscriptions/current'],
      ['GET', '/api/payments'],
    ] as const) {
      const res = await api.anonymous.request(path, {
        method,
        ...(method === 'POST' ? { body: { tier: 'navigator', cycle: 'monthly' } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect((await json(res)).error.code).toBe('unauthorized');
    }
    const u = await api.user('no-writes@example.com');
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await u.request('/api/subscriptions/current', { method })).status).toBe(405);
      expect((await u.request('/api/subscriptions', { method })).status).toBe(405);
    }
  });

  it('payments are the caller’s own, newest first, paginated', async () => {
    const u = await api.user('pager@example.com');
    const other = await api.user('pager-other@example.com');
    const sub = await db.db
      .insertInto('subscriptions')
      .values({
        user_id: u.userId,
        subscription_tier: 'explorer',
        billing_cycle: 'monthly',
        plan_amount: 159_900,
        status: 'cancelled',
      })
      .returning('subscription_id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 5; i++) {
      await db.db
        .insertInto('payments')
        .values({
          subscription_id: sub.subscription_id,
          user_id: i === 4 ? other.userId : u.userId,
          razorpay_payment_id: `pay_Pager0000000${i}`,
          amount: 100 + i,
          status: 'captured',
          created_at: new Date(Date.UTC(2026, 0, 1 + i)),
        })
        .execute();
    }
    const first = await json(await u.request('/api/payments?limit=3'));
    expect(first.items.map((p: Json) => p.amount)).toEqual([103, 102, 101]);
    expect(first.nextOffset).toBe(3);
    const second = await json(await u.request('/api/payments?limit=3&offset=3'));
    expect(second.items.map((p: Json) => p.amount)).toEqual([100]);
    expect(second.nextOffset).toBeNull();
    expect((await json(await other.request('/api/payments'))).items.map((p: Json) => p.amount)).toEqual([
      104,
    ]);
  });
});
