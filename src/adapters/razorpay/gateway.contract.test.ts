import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS } from '../../../test/support/emulator.ts';
import { createEmulator, type Emulator, type EmulatorServer } from '../../emulator/create-emulator.ts';
import { RazorpayApiError } from './errors.ts';
import type { RazorpayGateway } from './gateway.ts';
import { createHttpGateway } from './http-gateway.ts';
import { verifyPaymentSignature } from './signature.ts';

/** The only place this suite reads the environment: optional Razorpay test-mode keys. */
function testModeKeys(): { keyId: string; keySecret: string } | null {
  const keyId = process.env.RAZORPAY_KEY_ID ?? '';
  const keySecret = process.env.RAZORPAY_KEY_SECRET ?? '';
  return keyId.startsWith('rzp_test_') && keySecret ? { keyId, keySecret } : null;
}

const ID = /^[a-z]+_[0-9A-Za-z]{14}$/;

type Target = {
  gateway: RazorpayGateway;
  keySecret: string;
  /** Pays through checkout; only the emulator can do that without a browser. */
  pay?: (ids: {
    subscription_id?: string;
    order_id?: string;
    instrument?: 'card_success' | 'card_failure';
  }) => Promise<{ paymentId: string; signature: string }>;
};

function contractSuite(name: string, setup: () => Promise<Target | string>) {
  describe(`RazorpayGateway contract: ${name}`, () => {
    let target: Target;
    let skipReason: string | null = null;
    beforeAll(async () => {
      const made = await setup();
      if (typeof made === 'string') {
        skipReason = made;
        console.info(`[contract:${name}] skipped: ${made}`);
      } else target = made;
    });
    const test = (title: string, fn: () => Promise<void>) =>
      it(title, async (ctx) => {
        if (skipReason) return ctx.skip(skipReason);
        await fn();
      });
    const paid = (title: string, fn: () => Promise<void>) =>
      it(title, async (ctx) => {
        if (skipReason || !target.pay)
          return ctx.skip(skipReason ?? 'needs a checkout driver (emulator only)');
        await fn();
      });
    const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
      if (!r.ok) throw r.error;
      return r.value;
    };
    const newPlan = async (amount = 159_900) =>
      ok(
        await target.gateway.createPlan({
          period: 'monthly',
          interval: 1,
          item: { name: `Contract plan ${amount}`, amount, currency: 'INR' },
          notes: { polaris_tier: 'explorer' },
        }),
      );

    test('creates, fetches and lists plans', async () => {
      const plan = await newPlan();
      expect(plan.id).toMatch(ID);
      expect(plan.id.startsWith('plan_')).toBe(true);
      expect(plan.item.amount).toBe(159_900);
      expect(ok(await target.gateway.fetchPlan(plan.id)).id).toBe(plan.id);
      const list = ok(await target.gateway.listPlans({ count: 100 }));
      expect(list.entity).toBe('collection');
      expect(list.items.map((p) => p.id)).toContain(plan.id);
    });

    test('maps an unknown id to a typed 400 error', async () => {
      const result = await target.gateway.fetchPlan('plan_00000000000000');
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toBeInstanceOf(RazorpayApiError);
      expect(result.error).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST_ERROR' });
      expect((result.error as RazorpayApiError).description).toMatch(/does not exist/);
    });

    test('maps a validation error with its field', async () => {
      const result = await target.gateway.createOrder({ amount: 50, currency: 'INR' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST_ERROR', field: 'amount' });
    });

    test('creates a customer', async () => {
      const email = `contract-${Date.now()}@example.com`;
      const customer = ok(
        await target.gateway.createCustomer({ name: 'Contract Test', email, failExisting: false }),
      );
      expect(customer.id.startsWith('cust_')).toBe(true);
      expect(customer.email).toBe(email);
    });

    test('creates, fetches and cancels a subscription; a second cancel is refused', async () => {
      const plan = await newPlan();
      const sub = ok(
        await target.gateway.createSubscription({ planId: plan.id, totalCount: 6, notes: { user: 'u1' } }),
      );
      expect(sub).toMatchObject({ status: 'created', plan_id: plan.id, paid_count: 0 });
      expect(sub.id.startsWith('sub_')).toBe(true);
      expect(ok(await target.gateway.fetchSubscription(sub.id)).status).toBe('created');
      expect(ok(await target.gateway.listInvoices(sub.id)).items).toEqual([]);
      const cancelled = ok(await target.gateway.cancelSubscription(sub.id));
      expect(cancelled.status).toBe('cancelled');
      const again = await target.gateway.cancelSubscription(sub.id);
      expect(again.ok).toBe(false);
      if (!again.ok) expect(again.error).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST_ERROR' });
    });

    test('refuses to pause a subscription that is not active', async () => {
      const plan = await newPlan();
      const sub = ok(await target.gateway.createSubscription({ planId: plan.id, totalCount: 3 }));
      const paused = await target.gateway.pauseSubscription(sub.id);
      expect(paused.ok).toBe(false);
      if (!paused.ok) expect(paused.error).toMatchObject({ statusCode: 400 });
    });

    test('creates and fetches an order', async () => {
      const order = ok(
        await target.gateway.createOrder({ amount: 49_900, currency: 'INR', receipt: 'contract-1' }),
      );
      expect(order).toMatchObject({
        status: 'created',
        amount: 49_900,
        amount_due: 49_900,
        receipt: 'contract-1',
      });
      expect(ok(await target.gateway.fetchOrder(order.id)).id).toBe(order.id);
    });

    paid('an authorised subscription is active, invoiced and paid; pause and resume work', async () => {
      const plan = await newPlan(34_900);
      const sub = ok(await target.gateway.createSubscription({ planId: plan.id, totalCount: 12 }));
      const { paymentId, signature } = await target.pay!({ subscription_id: sub.id });
      expect(
        verifyPaymentSignature({ paymentId, subscriptionId: sub.id }, signature, target.keySecret).ok,
      ).toBe(true);
      const active = ok(await target.gateway.fetchSubscription(sub.id));
      expect(active).toMatchObject({ status: 'active', paid_count: 1, remaining_count: 11 });
      const invoices = ok(await target.gateway.listInvoices(sub.id));
      expect(invoices.items).toHaveLength(1);
      expect(invoices.items[0]).toMatchObject({ status: 'paid', payment_id: paymentId, amount: 34_900 });
      expect(ok(await target.gateway.fetchInvoice(invoices.items[0]!.id)).id).toBe(invoices.items[0]!.id);
      const payment = ok(await target.gateway.fetchPayment(paymentId));
      expect(payment).toMatchObject({ status: 'captured', captured: true, amount: 34_900 });
      expect(ok(await target.gateway.pauseSubscription(sub.id)).status).toBe('paused');
      expect(ok(await target.gateway.resumeSubscription(sub.id)).status).toBe('active');
      const atEnd = ok(await target.gateway.cancelSubscription(sub.id, { atCycleEnd: true }));
      expect(atEnd.status).toBe('active');
    });

    test('lists subscriptions created in a window, newest first, with their notes', async () => {
      const plan = await newPlan();
      const first = ok(
        await target.gateway.createSubscription({ planId: plan.id, totalCount: 2, notes: { who: 'a' } }),
      );
      const second = ok(
        await target.gateway.createSubscription({ planId: plan.id, totalCount: 2, notes: { who: 'b' } }),
      );
      const from = Math.min(first.created_at ?? 0, second.created_at ?? 0);
      const listed = ok(await target.gateway.listSubscriptions({ from, count: 100 }));
      expect(listed.entity).toBe('collection');
      const ids = listed.items.map((s) => s.id);
      expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
      expect(listed.items.find((s) => s.id === second.id)?.notes).toMatchObject({ who: 'b' });
      const before = ok(await target.gateway.listSubscriptions({ to: from - 1, count: 100 }));
      expect(before.items.map((s) => s.id)).not.toContain(first.id);
    });

    paid("lists an order's payments, a failed attempt included", async () => {
      const order = ok(await target.gateway.createOrder({ amount: 20_000, currency: 'INR' }));
      await target.pay!({ order_id: order.id, instrument: 'card_failure' });
      const { paymentId } = await target.pay!({ order_id: order.id });
      const payments = ok(await target.gateway.listOrderPayments(order.id));
      expect(payments.entity).toBe('collection');
      expect(payments.items.map((p) => p.status).sort()).toEqual(['captured', 'failed']);
      expect(payments.items.map((p) => p.id)).toContain(paymentId);
    });

    paid('refunds partly, then fully; an idempotent retry returns the same refund', async () => {
      const order = ok(await target.gateway.createOrder({ amount: 100_000, currency: 'INR' }));
      const { paymentId } = await target.pay!({ order_id: order.id });
      const key = `refund-${paymentId}`;
      const first = ok(await target.gateway.createRefund(paymentId, { amount: 40_000, idempotencyKey: key }));
      const repeat = ok(
        await target.gateway.createRefund(paymentId, { amount: 40_000, idempotencyKey: key }),
      );
      expect(repeat.id).toBe(first.id);
      expect(ok(await target.gateway.fetchRefund(first.id))).toMatchObject({
        amount: 40_000,
        payment_id: paymentId,
      });
      expect(ok(await target.gateway.fetchPayment(paymentId))).toMatchObject({
        status: 'captured',
        refund_status: 'partial',
      });
      const tooMuch = await target.gateway.createRefund(paymentId, { amount: 60_001 });
      expect(tooMuch.ok).toBe(false);
      if (!tooMuch.ok) expect(tooMuch.error).toMatchObject({ statusCode: 400, field: 'amount' });
      ok(await target.gateway.createRefund(paymentId));
      expect(ok(await target.gateway.fetchPayment(paymentId))).toMatchObject({
        status: 'refunded',
        refund_status: 'full',
      });
    });
  });
}

let emulator: Emulator;
let server: EmulatorServer;
afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

contractSuite('emulator over HTTP', async () => {
  emulator = createEmulator({ ...TEST_KEYS, clock: 1_750_000_000 });
  server = await emulator.listen(0, '127.0.0.1');
  const gateway = createHttpGateway({ baseUrl: server.url, ...TEST_KEYS, timeoutMs: 5000 });
  return {
    gateway,
    keySecret: TEST_KEYS.keySecret,
    pay: async (ids) => {
      const res = await fetch(`${server.url}/_emulator/checkout/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instrument: 'card_success', ...ids }),
      });
      const body = (await res.json()) as { razorpay_payment_id: string; razorpay_signature: string };
      return { paymentId: body.razorpay_payment_id, signature: body.razorpay_signature };
    },
  };
});

contractSuite('Razorpay test mode', async () => {
  const keys = testModeKeys();
  if (!keys) return 'RAZORPAY_KEY_ID is not a rzp_test_ key (or RAZORPAY_KEY_SECRET is unset)';
  const gateway = createHttpGateway({
    baseUrl: 'https://api.razorpay.com',
    ...keys,
    timeoutMs: 8000,
    retries: 1,
  });
  const probe = await gateway.listPlans({ count: 1 });
  if (!probe.ok) return `the Razorpay API did not answer: ${probe.error.message}`;
  return { gateway, keySecret: keys.keySecret };
});
