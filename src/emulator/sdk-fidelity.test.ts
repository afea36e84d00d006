import Razorpay from 'razorpay';
import { validateWebhookSignature } from 'razorpay/dist/utils/razorpay-utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, TEST_KEYS } from '../../test/support/emulator.ts';
import { waitFor } from '../../test/support/wait.ts';
import { createEmulator, type Emulator, type EmulatorServer } from './create-emulator.ts';

const SECRET = 'whsec_sdk_fidelity_0001';
let emu: Emulator;
let server: EmulatorServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let rzp: Razorpay;

beforeAll(async () => {
  receiver = await startReceiver();
  emu = createEmulator({
    ...TEST_KEYS,
    clock: 1_750_000_000,
    webhooks: [{ url: receiver.url, secret: SECRET }],
  });
  server = await emu.listen();
  rzp = new Razorpay({ key_id: TEST_KEYS.keyId, key_secret: TEST_KEYS.keySecret });
  // The SDK hardcodes its host; its axios instance is pointed at the emulator (facts §8, pinned 2.9.8).
  (rzp.api as unknown as { rq: { defaults: { baseURL: string } } }).rq.defaults.baseURL = server.url;
});
afterAll(async () => {
  await emu.close();
  await receiver.close();
});

describe('the official razorpay SDK (2.9.8) drives the emulator', () => {
  it('creates a plan, creates/fetches/cancels a subscription, lists invoices, fetches a payment, refunds', async () => {
    const plan = await rzp.plans.create({
      period: 'monthly',
      interval: 1,
      item: { name: 'SDK plan', amount: 159_900, currency: 'INR' },
      notes: { tier: 'explorer' },
    });
    expect(plan.id).toMatch(/^plan_[0-9A-Za-z]{14}$/);
    expect((await rzp.plans.fetch(plan.id)).item.amount).toBe(159_900);
    expect((await rzp.plans.all()).items.map((p) => p.id)).toContain(plan.id);

    const sub = await rzp.subscriptions.create({
      plan_id: plan.id,
      total_count: 12,
      customer_notify: 1,
      notes: { u: '1' },
    });
    expect(sub.status).toBe('created');
    const paid = emu.completeCheckout({ subscription_id: sub.id });
    if (!paid.ok) throw new Error('checkout failed');
    const fetched = await rzp.subscriptions.fetch(sub.id);
    expect(fetched).toMatchObject({ status: 'active', paid_count: 1 });

    const invoices = await rzp.invoices.all({ subscription_id: sub.id });
    expect(invoices.count).toBe(1);
    expect(invoices.items[0]).toMatchObject({ status: 'paid', subscription_id: sub.id });

    const payment = await rzp.payments.fetch(paid.value.razorpay_payment_id);
    expect(payment).toMatchObject({ status: 'captured', captured: true, amount: 159_900 });

    const atEnd = await rzp.subscriptions.cancel(sub.id, true);
    expect(atEnd.status).toBe('active');
    const cancelled = await rzp.subscriptions.cancel(sub.id);
    expect(cancelled.status).toBe('cancelled');

    const refund = await rzp.payments.refund(payment.id, { amount: 50_000, speed: 'normal' });
    expect(refund).toMatchObject({ entity: 'refund', amount: 50_000, payment_id: payment.id });
    expect((await rzp.refunds.fetch(refund.id)).status).toBe('processed');
    expect((await rzp.payments.fetch(payment.id)).refund_status).toBe('partial');
  });

  it('gets Razorpay error objects the SDK understands', async () => {
    const error = await rzp.subscriptions.fetch('sub_00000000000000').catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 400,
      error: { code: 'BAD_REQUEST_ERROR', description: 'The id provided does not exist' },
    });
    const extra = await rzp.orders
      .create({ amount: 100, currency: 'INR', colour: 'red' } as never)
      .catch((e: unknown) => e);
    expect(extra).toMatchObject({ statusCode: 400, error: { field: 'colour' } });
  });

  it('validateWebhookSignature accepts every delivery', async () => {
    await waitFor(() => emu.pendingDeliveries() === 0 && receiver.received.length >= 8, 3000, 'deliveries');
    expect(receiver.received.length).toBe(emu.events().length);
    for (const r of receiver.received) {
      const signature = r.headers['x-razorpay-signature'] as string;
      expect(validateWebhookSignature(r.body.toString(), signature, SECRET)).toBe(true);
      expect(validateWebhookSignature(r.body.toString(), signature, 'wrong')).toBe(false);
    }
  });
});
