import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { cookiesFrom } from './support/accounts.ts';
import { apiClient, settleWebhooks } from './support/billing-flow.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';

const DAY = 86_400;

describeEachBackend('billing end to end through the emulator', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let cookie = '';

  const api = apiClient(
    () => served.url,
    () => cookie,
  );
  const settle = () => settleWebhooks(t, get().db);
  const profile = () =>
    get()
      .db.selectFrom('user_profiles')
      .selectAll()
      .where('email', '=', 'asha@example.com')
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestContext(get());
    const synced = await syncPlans({ ctx: t.ctx });
    expect(synced.ok).toBe(true);
    served = await serveFullApp(t.ctx);
    t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
  });
  afterAll(async () => {
    await served?.close();
    await t?.close();
  });

  it('a new user subscribes to navigator, pays on the checkout, and gets its tier and limit', async () => {
    const signUp = await fetch(`${served.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      body: JSON.stringify({ email: 'asha@example.com', password: 'correct-horse-battery', name: 'Asha' }),
    });
    expect(signUp.status).toBe(200);
    cookie = cookiesFrom(signUp);
    expect((await profile()).subscription_tier).toBe('free');

    const checkout = await api('/api/subscriptions', {
      body: { tier: 'navigator', cycle: 'monthly', seats: 1 },
    });
    expect(checkout.status).toBe(201);
    const subscriptionId = checkout.body.checkout.subscription_id as string;
    expect(subscriptionId).toMatch(/^sub_/);

    const paid = await fetch(`${t.emulatorUrl}/_emulator/checkout/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscription_id: subscriptionId, instrument: 'card_success' }),
    });
    expect(paid.status).toBe(200);
    const handler = (await paid.json()) as Record<string, string>;
    const verify = await api('/api/subscriptions/verify', { body: handler });
    expect(verify.status).toBe(200);
    await settle();

    const current = await api('/api/subscriptions/current');
    expect(current.body.subscription).toMatchObject({ status: 'active', tier: 'navigator' });
    expect(await profile()).toMatchObject({ subscription_tier: 'navigator' });
    const usage = await api('/api/usage');
    expect(usage.body).toMatchObject({ tier: 'navigator', limit: 25, created: 0 });
    const payments = await api('/api/payments');
    expect(payments.body.items).toHaveLength(1);
    expect(payments.body.items[0]).toMatchObject({ status: 'captured', amount: 349_900 });
  });

  it('a cycle later the renewal is charged and the counters reset', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await api('/api/blueprints', { body: { title: `b${i}`, content: { i } } })).status).toBe(201);
    }
    expect((await profile()).blueprint_creation_count).toBe(3);
    t.emulator.advanceClock(31 * DAY);
    await settle();
    const payments = await api('/api/payments');
    expect(payments.body.items.filter((p: { status: string }) => p.status === 'captured')).toHaveLength(2);
    expect((await profile()).blueprint_creation_count).toBe(0);
  });

  it('the next renewal fails: pending, then halted after the retries, and the user is back on free', async () => {
    const current = await api('/api/subscriptions/current');
    const rzpId = current.body.subscription.razorpaySubscriptionId as string;
    expect(t.emulator.failNextCharges(rzpId, 4)).toBe(true);
    t.emulator.advanceClock(31 * DAY);
    await settle();
    expect((await api('/api/subscriptions/current')).body.subscription).toMatchObject({ status: 'pending' });
    expect((await profile()).subscription_tier).toBe('navigator');
    for (let day = 0; day < 3; day++) {
      t.emulator.advanceClock(DAY + 60);
      await settle();
    }
    const sub = await get()
      .db.selectFrom('subscriptions')
      .selectAll()
      .where('razorpay_subscription_id', '=', rzpId)
      .executeTakeFirstOrThrow();
    expect(sub.status).toBe('halted');
    expect(await profile()).toMatchObject({ subscription_tier: 'free' });
    const failedPayments = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM payments WHERE status = 'failed'`.execute(get().db);
    expect(failedPayments.rows[0]?.n).toBeGreaterThanOrEqual(1);
  });

  const lastCapturedPayment = () =>
    get()
      .db.selectFrom('payments')
      .selectAll()
      .where('status', '=', 'captured')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();

  it('a refund of the last captured payment is recorded', async () => {
    const last = await lastCapturedPayment();
    const refund = await t.ctx.gateway.createRefund(last.razorpay_payment_id, { amount: 100_000 });
    expect(refund.ok).toBe(true);
    await settle();
    const after = await get()
      .db.selectFrom('payments')
      .selectAll()
      .where('payment_id', '=', last.payment_id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ amount_refunded: 100_000, refund_status: 'partial', status: 'captured' });
    const refunds = await get()
      .db.selectFrom('refunds')
      .selectAll()
      .where('payment_id', '=', last.payment_id)
      .execute();
    expect(refunds).toMatchObject([
      { razorpay_refund_id: refund.ok ? refund.value.id : '', amount: 100_000, status: 'processed' },
    ]);
  });

  it('a refund that fails is kept as failed and gives its amount back; a later full refund makes the payment refunded', async () => {
    const last = await lastCapturedPayment();
    expect(t.emulator.failNextRefunds(last.razorpay_payment_id, 1)).toBe(true);
    const failing = await t.ctx.gateway.createRefund(last.razorpay_payment_id, {});
    expect(failing).toMatchObject({ ok: true, value: { status: 'failed' } });
    await settle();
    const row = () =>
      get()
        .db.selectFrom('payments')
        .selectAll()
        .where('payment_id', '=', last.payment_id)
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ amount_refunded: last.amount_refunded, status: 'captured' });
    const refundRows = () =>
      get()
        .db.selectFrom('refunds')
        .select(['amount', 'status'])
        .where('payment_id', '=', last.payment_id)
        .orderBy('created_at')
        .orderBy('razorpay_refund_id')
        .execute();
    expect(await refundRows()).toContainEqual({
      amount: last.amount - last.amount_refunded,
      status: 'failed',
    });

    const full = await t.ctx.gateway.createRefund(last.razorpay_payment_id, {});
    expect(full).toMatchObject({ ok: true, value: { status: 'processed' } });
    await settle();
    expect(await row()).toMatchObject({
      amount_refunded: last.amount,
      refund_status: 'full',
      status: 'refunded',
    });
    expect((await refundRows()).filter((r) => r.status === 'failed')).toHaveLength(1);
  });
});
