import { afterAll, beforeAll, expect, it } from 'vitest';
import { billingApp } from '../../../../test/support/billing-app.ts';
import { createTestContext, TEST_KEYS } from '../../../../test/support/context.ts';
import { describeEachBackend, type TestDatabase } from '../../../../test/support/databases.ts';
import { syncPlans } from '../../../services/plans/sync-plans.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in assertions
type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;
const LIVE = ['created', 'authenticated', 'active', 'pending', 'halted', 'paused'];

describeEachBackend('subscriptions: checkout, verify, plan changes, cancel', { migrated: true }, (get) => {
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

  /** Razorpay subscriptions carrying this user's id in their notes. */
  const remoteOf = (userId: string) =>
    [...t.emulator.ctx.state.subscriptions.values()].filter(
      (s) => (s.notes as Record<string, string>).polaris_user_id === userId,
    );
  const rowsOf = (userId: string) =>
    db.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  const profile = (userId: string) =>
    db.db.selectFrom('user_profiles').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
  /** Pays on the emulator's checkout, returning what checkout's handler receives. */
  const pay = async (subscriptionId: string) => {
    const res = await fetch(`${t.emulatorUrl}/_emulator/checkout/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscription_id: subscriptionId, instrument: 'card_success' }),
    });
    expect(res.status).toBe(200);
    return json(res);
  };
  type User = Awaited<ReturnType<typeof api.user>>;
  const subscribe = (u: User, body: Json) => u.request('/api/subscriptions', { body });
  const subscribeAndPay = async (u: User, body: Json) => {
    const checkout = await json(await subscribe(u, body));
    const paid = await pay(checkout.checkout.subscription_id);
    const verified = await u.request('/api/subscriptions/verify', { body: paid });
    expect(verified.status).toBe(200);
    return { checkout, paid, verified: await json(verified) };
  };

  it('checkout returns Checkout options and creates the Razorpay subscription the server chose', async () => {
    const u = await api.user('buyer@example.com');
    const res = await subscribe(u, { tier: 'navigator', cycle: 'monthly' });
    expect(res.status).toBe(201);
    const body = await json(res);
    const plan = await db.db
      .selectFrom('razorpay_plans')
      .selectAll()
      .where('tier', '=', 'navigator')
      .where('cycle', '=', 'monthly')
      .executeTakeFirstOrThrow();
    expect(body.outcome).toBe('created');
    expect(body.checkout).toMatchObject({
      key: TEST_KEYS.keyId,
      subscription_id: expect.stringMatching(/^sub_/),
      name: 'SmartSlate Polaris',
      description: 'Navigator plan, billed monthly',
      prefill: { email: 'buyer@example.com' },
      notes: { polaris_subscription_id: body.subscription.subscriptionId },
      callback: { url: 'http://localhost:3000/api/subscriptions/verify', method: 'POST' },
      checkoutScriptUrl: `${t.emulatorUrl}/v1/checkout.js`,
      amount: 349_900,
    });
    const [remote] = remoteOf(u.userId);
    expect(remote).toMatchObject({
      id: body.checkout.subscription_id,
      plan_id: plan.razorpay_plan_id,
      quantity: 1,
      total_count: 120,
      notes: {
        polaris_user_id: u.userId,
        polaris_subscription_id: body.subscription.subscriptionId,
        polaris_tier: 'navigator',
        polaris_cycle: 'monthly',
      },
    });
    expect(await rowsOf(u.userId)).toEqual([
      expect.objectContaining({
        status: 'created',
        razorpay_subscription_id: remote?.id,
        razorpay_plan_id: plan.razorpay_plan_id,
        plan_amount: 349_900,
        seats: 1,
      }),
    ]);
  });

  it('team tiers: quantity = seats and plan_amount = per-seat price × seats', async () => {
    const u = await api.user('team@example.com');
    const body = await json(await subscribe(u, { tier: 'crew', cycle: 'yearly', seats: 3 }));
    expect(body.subscription).toMatchObject({ tier: 'crew', seats: 3, amount: 1_999_000 * 3 });
    expect(remoteOf(u.userId)).toEqual([expect.objectContaining({ quantity: 3, total_count: 10 })]);
  });

  it('pay + verify: the subscription is active, the tier follows on the profile, the payment is listed', async () => {
    const u = await api.user('payer@example.com');
    const { checkout, verified } = await subscribeAndPay(u, { tier: 'navigator', cycle: 'monthly' });
    expect(verified).toMatchObject({
      subscriptionId: checkout.subscription.subscriptionId,
      status: 'active',
    });
    expect(await profile(u.userId)).toMatchObject({
      subscription_tier: 'navigator',
      subscription_id: checkout.subscription.subscriptionId,
    });
    const current = await json(await u.request('/api/subscriptions/current'));
    expect(current.subscription).toMatchObject({
      status: 'active',
      tier: 'navigator',
      cancelAtCycleEnd: false,
    });
    const payments = await json(await u.request('/api/payments'));
    expect(payments.items).toEqual([
      expect.objectContaining({ amount: 349_900, status: 'captured', currency: 'INR' }),
    ]);
    expect(payments.nextOffset).toBeNull();
  });

  it('with PAYMENTS_ENABLED=false, checkout and plan changes answer 503 payments_disabled and touch nothing; cancel still works', async () => {
    const settings = { ...t.ctx.settings };
    const switchable = billingApp({ ...t.ctx, settings }, db.db);
    const payer = await switchable.user('switched-off@example.com');
    const fresh = await switchable.user('never-paid@example.com');
    const checkout = await json(await subscribe(payer, { tier: 'navigator', cycle: 'monthly' }));
    const paid = await pay(checkout.checkout.subscription_id);
    expect((await payer.request('/api/subscriptions/verify', { body: paid })).status).toBe(200);

    settings.paymentsEnabled = false;
    const before = { rows: await rowsOf(fresh.userId), remote: remoteOf(fresh.userId).length };
    const refused = await subscribe(fresh, { tier: 'navigator', cycle: 'monthly' });
    expect(refused.status).toBe(503);
    expect((await json(refused)).error).toMatchObject({ code: 'payments_disabled' });
    expect({ rows: await rowsOf(fresh.userId), remote: remoteOf(fresh.userId).length }).toEqual(before);

    // A paying user's plan change is refused the same way; cancelling is always possible.
    const rowsBefore = await rowsOf(payer.userId);
    const change = await subscribe(payer, { tier: 'voyager', cycle: 'monthly' });
    expect(change.status).toBe(503);
    expect(await rowsOf(payer.userId)).toEqual(rowsBefore);
    const cancel = await payer.request('/api/subscriptions/cancel', { body: { atCycleEnd: false } });
    expect(cancel.status).toBe(200);
    expect((await rowsOf(payer.userId)).at(-1)?.status).toBe('cancelled');
  });

  it('verify twice (or racing the webhook) changes nothing the second time', async () => {
    const u = await api.user('twice@example.com');
    const { paid } = await subscribeAndPay(u, { tier: 'explorer', cycle: 'monthly' });
    const [a, b] = await Promise.all([
      u.request('/api/subscriptions/verify', { body: paid }),
      u.request('/api/subscriptions/verify', { body: paid }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([(await json(a)).changed, (await json(b)).changed]).toEqual([false, false]);
    expect(await rowsOf(u.userId)).toHaveLength(1);
    const payments = await db.db.selectFrom('payments').selectAll().where('user_id', '=', u.userId).execute();
    expect(payments).toHaveLength(1);
  });

  it('the same unpaid plan asked again returns the same subscription; nothing new at Razorpay', async () => {
    const u = await api.user('again@example.com');
    const first = await json(await subscribe(u, { tier: 'voyager', cycle: 'monthly' }));
    const again = await subscribe(u, { tier: 'voyager', cycle: 'monthly' });
    expect(again.status).toBe(200);
    const body = await json(again);
    expect(body.outcome).toBe('reused');
    expect(body.checkout.subscription_id).toBe(first.checkout.subscription_id);
    expect(remoteOf(u.userId)).toHaveLength(1);
  });

  it('two concurrent checkouts for one user leave exactly one live subscription, here and at Razorpay', async () => {
    const u = await api.user('race@example.com');
    const results = await Promise.all([
      subscribe(u, { tier: 'navigator', cycle: 'monthly' }),
      subscribe(u, { tier: 'navigator', cycle: 'monthly' }),
      subscribe(u, { tier: 'voyager', cycle: 'yearly' }),
    ]);
    for (const r of results) expect([200, 201, 409]).toContain(r.status);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    const live = (await rowsOf(u.userId)).filter((r) => LIVE.includes(r.status));
    expect(live).toHaveLength(1);
    const remoteLive = remoteOf(u.userId).filter((s) => LIVE.includes(s.status));
    expect(remoteLive.map((s) => s.id)).toEqual([live[0]?.razorpay_subscription_id]);
  });

  it('changing plan on a never-paid subscription cancels the old one at Razorpay and locally', async () => {
    const u = await api.user('switch@example.com');
    const old = await json(await subscribe(u, { tier: 'navigator', cycle: 'monthly' }));
    const res = await subscribe(u, { tier: 'voyager', cycle: 'yearly' });
    expect(res.status).toBe(201);
    const fresh = await json(res);
    expect(fresh.checkout.subscription_id).not.toBe(old.checkout.subscription_id);
    expect(t.emulator.ctx.state.subscriptions.get(old.checkout.subscription_id)?.status).toBe('cancelled');
    const rows = await rowsOf(u.userId);
    expect(rows.map((r) => [r.subscription_tier, r.status])).toEqual([
      ['navigator', 'cancelled'],
      ['voyager', 'created'],
    ]);
    expect(remoteOf(u.userId).filter((s) => LIVE.includes(s.status))).toHaveLength(1);
    const audit = await db.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target', '=', old.subscription.subscriptionId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'subscription.checkout',
      'subscription.sync',
      'subscription.replace',
    ]);
    expect(audit[1]!.details).toMatchObject({ from: 'created', to: 'cancelled', created: false });
  });

  it('changing plan on an active card subscription is refused 409 (cancel first); nothing changes or is charged', async () => {
    const u = await api.user('upgrade@example.com');
    const { checkout } = await subscribeAndPay(u, { tier: 'navigator', cycle: 'monthly' });
    const res = await subscribe(u, { tier: 'voyager', cycle: 'monthly' });
    expect(res.status).toBe(409);
    expect((await json(res)).error.message).toMatch(/Navigator subscription is active.*cancel it first/);
    expect(remoteOf(u.userId)).toEqual([
      expect.objectContaining({ id: checkout.checkout.subscription_id, status: 'active', paid_count: 1 }),
    ]);
    expect((await rowsOf(u.userId)).map((r) => [r.subscription_tier, r.status])).toEqual([
      ['navigator', 'active'],
    ]);
    expect((await profile(u.userId)).subscription_tier).toBe('navigator');
    const again = await subscribe(u, { tier: 'navigator', cycle: 'monthly' });
    expect(again.status).toBe(409);
    expect((await json(again)).error.message).toMatch(/already have the Navigator plan/);
  });

  it('cancel defaults to the cycle end: recorded by us, access kept, Razorpay still active', async () => {
    const u = await api.user('leaver@example.com');
    const { checkout } = await subscribeAndPay(u, { tier: 'voyager', cycle: 'monthly' });
    const res = await u.request('/api/subscriptions/cancel', { body: {} });
    expect(res.status).toBe(200);
    expect((await json(res)).subscription).toMatchObject({ status: 'active', cancelAtCycleEnd: true });
    expect(t.emulator.ctx.state.subscriptions.get(checkout.checkout.subscription_id)?.status).toBe('active');
    expect((await profile(u.userId)).subscription_tier).toBe('voyager');
    const again = await u.request('/api/subscriptions/cancel', { body: { atCycleEnd: true } });
    expect((await json(again)).subscription).toMatchObject({ cancelAtCycleEnd: true });

    const now = await u.request('/api/subscriptions/cancel', { body: { atCycleEnd: false } });
    expect(now.status).toBe(200);
    expect((await json(now)).subscription).toMatchObject({ status: 'cancelled' });
    expect(t.emulator.ctx.state.subscriptions.get(checkout.checkout.subscription_id)?.status).toBe(
      'cancelled',
    );
    expect(await profile(u.userId)).toMatchObject({ subscription_tier: 'free', subscription_id: null });
    const nothing = await u.request('/api/subscriptions/cancel', { body: {} });
    expect(nothing.status).toBe(404);
  });

  it('cancelling a never-paid subscription ends it now, at Razorpay and here', async () => {
    const u = await api.user('unpaid-cancel@example.com');
    const body = await json(await subscribe(u, { tier: 'explorer', cycle: 'yearly' }));
    const res = await u.request('/api/subscriptions/cancel', { body: {} });
    expect((await json(res)).subscription).toMatchObject({ status: 'cancelled', cancelAtCycleEnd: false });
    expect(t.emulator.ctx.state.subscriptions.get(body.checkout.subscription_id)?.status).toBe('cancelled');
  });
});
