import { describe, expect, it } from 'vitest';
import { allSamples, type RazorpaySample, responseSample } from '../../../test/support/razorpay-samples.ts';
import { RazorpayApiError, RazorpayTransportError } from './errors.ts';
import type { RazorpayGateway } from './gateway.ts';
import { createHttpGateway } from './http-gateway.ts';
import { RzpCustomer } from './wire.ts';

// Razorpay's published samples cannot come from the emulator, so this suite answers the gateway's
// own requests with them byte for byte: the same path, schema and error mapping a live call takes.
type Sent = { method: string; path: string };

function gatewayAnswering(status: number, body: string): { gateway: RazorpayGateway; sent: Sent[] } {
  const sent: Sent[] = [];
  const gateway = createHttpGateway({
    baseUrl: 'https://api.razorpay.test',
    keyId: 'rzp_test_00000000000000',
    keySecret: 'secret',
    retries: 0,
    fetch: async (url, init) => {
      sent.push({ method: init?.method ?? 'GET', path: new URL(String(url)).pathname });
      return new Response(body, { status, headers: { 'content-type': 'application/json' } });
    },
  });
  return { gateway, sent };
}

type Call = [file: string, method: string, path: string, run: (g: RazorpayGateway) => Promise<unknown>];

const SUCCESSES: Call[] = [
  [
    'plan-create.json',
    'POST',
    '/v1/plans',
    (g) =>
      g.createPlan({
        period: 'weekly',
        interval: 1,
        item: { name: 'Test plan - Weekly', amount: 69_900, currency: 'INR' },
      }),
  ],
  ['plan-fetch.json', 'GET', '/v1/plans/plan_00000000000001', (g) => g.fetchPlan('plan_00000000000001')],
  ['customer-create.json', 'POST', '/v1/customers', (g) => g.createCustomer({ name: 'Gaurav Kumar' })],
  [
    'subscription-create.json',
    'POST',
    '/v1/subscriptions',
    (g) => g.createSubscription({ planId: 'plan_00000000000001', totalCount: 6 }),
  ],
  [
    'subscription-fetch.json',
    'GET',
    '/v1/subscriptions/sub_00000000000001',
    (g) => g.fetchSubscription('sub_00000000000001'),
  ],
  [
    'subscription-update.json',
    'PATCH',
    '/v1/subscriptions/sub_00000000000002',
    (g) => g.updateSubscription('sub_00000000000002', { quantity: 3 }),
  ],
  [
    'subscription-pause.json',
    'POST',
    '/v1/subscriptions/sub_00000000000001/pause',
    (g) => g.pauseSubscription('sub_00000000000001'),
  ],
  [
    'subscription-resume.json',
    'POST',
    '/v1/subscriptions/sub_00000000000001/resume',
    (g) => g.resumeSubscription('sub_00000000000001'),
  ],
  [
    'subscription-cancel.json',
    'POST',
    '/v1/subscriptions/sub_00000000000001/cancel',
    (g) => g.cancelSubscription('sub_00000000000001'),
  ],
  ['subscription-invoices.json', 'GET', '/v1/invoices', (g) => g.listInvoices('sub_00000000000001')],
  [
    'invoice-fetch.json',
    'GET',
    '/v1/invoices/inv_E7q0tqkxBRzdau',
    (g) => g.fetchInvoice('inv_E7q0tqkxBRzdau'),
  ],
  [
    'payment-fetch-card.json',
    'GET',
    '/v1/payments/pay_DG4ZdRK8ZnXC3k',
    (g) => g.fetchPayment('pay_DG4ZdRK8ZnXC3k'),
  ],
  [
    'payment-fetch-upi.json',
    'GET',
    '/v1/payments/pay_MT3PgKGazkDUUM',
    (g) => g.fetchPayment('pay_MT3PgKGazkDUUM'),
  ],
  [
    'payment-fetch-netbanking.json',
    'GET',
    '/v1/payments/pay_MT48CvBhIC98MQ',
    (g) => g.fetchPayment('pay_MT48CvBhIC98MQ'),
  ],
  [
    'refund-create.json',
    'POST',
    '/v1/payments/pay_29QQoUBi66xm2f/refund',
    (g) => g.createRefund('pay_29QQoUBi66xm2f', { amount: 500_100 }),
  ],
  [
    'refund-fetch.json',
    'GET',
    '/v1/refunds/rfnd_DfjjhJC6eDvUAi',
    (g) => g.fetchRefund('rfnd_DfjjhJC6eDvUAi'),
  ],
  ['order-create.json', 'POST', '/v1/orders', (g) => g.createOrder({ amount: 5000, currency: 'INR' })],
  ['order-fetch.json', 'GET', '/v1/orders/order_DaaS6LOUAASb7Y', (g) => g.fetchOrder('order_DaaS6LOUAASb7Y')],
];

/** Files the table above covers, plus those parsed without a gateway call (Polaris never fetches a customer). */
const COVERED = new Set([...SUCCESSES.map(([file]) => file), 'customer-fetch.json']);

async function answer(sample: RazorpaySample, call: Call, status = 200) {
  const { gateway, sent } = gatewayAnswering(status, sample.text);
  const result = (await call[3](gateway)) as Awaited<ReturnType<RazorpayGateway['fetchPlan']>>;
  expect(sent).toEqual([{ method: call[1], path: call[2] }]);
  return result;
}

describe("the gateway parses Razorpay's documented responses", () => {
  it.each(SUCCESSES)('%s', async (...call) => {
    const sample = responseSample(call[0]);
    const result = await answer(sample, call);
    if (!result.ok) throw result.error;
    const value = result.value as unknown as Record<string, unknown>;
    if (sample.json.entity === 'collection') {
      expect((value.items as { id: string }[]).map((i) => i.id)).toEqual(
        (sample.json.items as { id: string }[]).map((i) => i.id),
      );
    } else {
      expect(value).toMatchObject({ id: sample.json.id, entity: sample.json.entity });
      if ('status' in sample.json) expect(value.status).toBe(sample.json.status);
    }
  });

  it('parses the documented customer fetch, which no gateway call makes', () => {
    expect(RzpCustomer.parse(responseSample('customer-fetch.json').json).id).toBe('cust_1Aa00000000001');
  });

  it('covers every stored success sample, so a new fixture cannot go untested', () => {
    const stored = allSamples('responses')
      .map((s) => s.file)
      .filter((f) => !f.startsWith('error-'));
    expect(stored.filter((f) => !COVERED.has(f))).toEqual([]);
  });

  it('keeps what the documented samples leave out as absent, not as a failure', async () => {
    const created = await answer(responseSample('subscription-create.json'), SUCCESSES[3]!);
    const paused = await answer(responseSample('subscription-pause.json'), SUCCESSES[6]!);
    if (!created.ok || !paused.ok) throw new Error('documented samples must parse');
    expect(created.value).not.toHaveProperty('customer_id');
    expect(paused.value).toMatchObject({ status: 'paused', charge_at: null, quantity: 1 });
    const customer = await answer(responseSample('customer-create.json'), SUCCESSES[2]!);
    expect(customer.ok && customer.value.created_at).toBeUndefined();
  });

  it.each([
    ['id', 'subscription-fetch.json', 4],
    ['status', 'subscription-fetch.json', 4],
    ['amount', 'payment-fetch-upi.json', 12],
    ['payment_id', 'refund-fetch.json', 15],
  ] as const)(
    'still refuses a response without %s, which Polaris cannot work without',
    async (key, file, index) => {
      const sample = responseSample(file);
      const { [key]: _dropped, ...rest } = sample.json;
      const result = await answer({ ...sample, text: JSON.stringify(rest) }, SUCCESSES[index]!);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toBeInstanceOf(RazorpayTransportError);
      expect(result.error.message).toMatch(new RegExp(`^unexpected response shape at ${key}: Invalid`));
    },
  );
});

describe("the gateway maps Razorpay's documented error bodies", () => {
  it.each(allSamples('responses').filter((s) => s.file.startsWith('error-')))('$file', async (sample) => {
    const error = (sample.json as { error: { code: string; description: string; field?: string } }).error;
    const result = await answer(sample, SUCCESSES[4]!, 400);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(RazorpayApiError);
    expect(result.error).toMatchObject({
      statusCode: 400,
      code: error.code,
      description: error.description,
      field: error.field ?? null,
    });
  });
});
