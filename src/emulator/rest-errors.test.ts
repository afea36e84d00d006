import { describe, expect, it } from 'vitest';
import { JSON_AUTH, PLAN_BODY, restHarness } from '../../test/support/rest-harness.ts';

const { call, emulator } = restHarness();
const json = JSON_AUTH;
const planBody = PLAN_BODY;

describe('bad input gets Razorpay errors, never a 500', () => {
  const cases: [string, string, string, unknown, RegExp, string | undefined][] = [
    [
      'extra field',
      'POST',
      '/v1/plans',
      { ...planBody, colour: 'red' },
      /colour is\/are not required/,
      'colour',
    ],
    [
      'nested extra field',
      'POST',
      '/v1/plans',
      { ...planBody, item: { ...planBody.item, x: 1 } },
      /item.x is\/are not required/,
      'item.x',
    ],
    [
      'missing field',
      'POST',
      '/v1/plans',
      { period: 'monthly', item: planBody.item },
      /interval field is required/,
      'interval',
    ],
    [
      'mistyped field',
      'POST',
      '/v1/plans',
      { ...planBody, interval: 'one' },
      /interval must be an integer/,
      'interval',
    ],
    ['bad enum', 'POST', '/v1/plans', { ...planBody, period: 'hourly' }, /period is invalid/, 'period'],
    [
      'amount below INR 1',
      'POST',
      '/v1/orders',
      { amount: 99, currency: 'INR' },
      /at least INR 1.00/,
      'amount',
    ],
    [
      'daily interval below 7',
      'POST',
      '/v1/plans',
      { ...planBody, period: 'daily' },
      /at least 7/,
      'interval',
    ],
    ['unknown plan id', 'GET', '/v1/plans/plan_00000000000000', undefined, /does not exist/, 'id'],
    ['unknown payment', 'GET', '/v1/payments/pay_00000000000000', undefined, /does not exist/, 'id'],
    [
      'unknown subscription',
      'POST',
      '/v1/subscriptions/sub_00000000000000/cancel',
      {},
      /does not exist/,
      'id',
    ],
    [
      'subscription on an unknown plan',
      'POST',
      '/v1/subscriptions',
      { plan_id: 'plan_x', total_count: 1 },
      /does not exist/,
      'plan_id',
    ],
    [
      'missing total_count',
      'POST',
      '/v1/subscriptions',
      { plan_id: 'plan_x' },
      /total_count field is required/,
      'total_count',
    ],
    [
      'too many notes',
      'POST',
      '/v1/orders',
      {
        amount: 100,
        currency: 'INR',
        notes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])),
      },
      /less than or equal to 15/,
      'notes',
    ],
    ['unknown route', 'GET', '/v1/nothing', undefined, /requested URL was not found/, undefined],
    ['wrong method', 'DELETE', '/v1/plans', undefined, /requested URL was not found/, undefined],
  ];
  it.each(cases)('%s', async (_name, method, path, body, description, field) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST_ERROR');
    expect(res.body.error.description).toMatch(description);
    expect(res.body.error.field).toBe(field);
  });

  it('refuses to pause a cancelled subscription', async () => {
    const plan = (await call('POST', '/v1/plans', planBody)).body;
    const sub = (await call('POST', '/v1/subscriptions', { plan_id: plan.id, total_count: 3 })).body;
    await call('POST', `/v1/subscriptions/${sub.id}/cancel`, {});
    const res = await call('POST', `/v1/subscriptions/${sub.id}/pause`, { pause_at: 'now' });
    expect(res.status).toBe(400);
    expect(res.body.error.description).toMatch(/cannot be paused in cancelled status/);
  });

  it('refuses capture twice and a capture of the wrong amount', async () => {
    const order = (await call('POST', '/v1/orders', { amount: 50_000, currency: 'INR', payment_capture: 0 }))
      .body;
    const paid = emulator().completeCheckout({ order_id: order.id });
    if (!paid.ok) throw new Error('checkout failed');
    const id = paid.value.razorpay_payment_id;
    expect((await call('GET', `/v1/payments/${id}`)).body.status).toBe('authorized');
    const wrong = await call('POST', `/v1/payments/${id}/capture`, { amount: 40_000, currency: 'INR' });
    expect(wrong.body.error).toMatchObject({ field: 'amount' });
    const first = await call('POST', `/v1/payments/${id}/capture`, { amount: 50_000, currency: 'INR' });
    expect(first.body).toMatchObject({ status: 'captured', captured: true });
    const second = await call('POST', `/v1/payments/${id}/capture`, { amount: 50_000, currency: 'INR' });
    expect(second.status).toBe(400);
    expect(second.body.error.description).toMatch(/already been captured/);
    expect((await call('GET', `/v1/orders/${order.id}`)).body.status).toBe('paid');
  });

  it('refuses refunds over the captured amount, of a failed payment, and with a reused idempotency key', async () => {
    const order = (await call('POST', '/v1/orders', { amount: 10_000, currency: 'INR' })).body;
    const paid = emulator().completeCheckout({ order_id: order.id });
    if (!paid.ok) throw new Error('checkout failed');
    const id = paid.value.razorpay_payment_id;
    const over = await call('POST', `/v1/payments/${id}/refund`, { amount: 10_001 });
    expect(over.body.error.description).toBe('The refund amount provided is greater than amount captured.');
    const keyed = { ...json, 'x-refund-idempotency': 'refund-key-0001' };
    expect((await call('POST', `/v1/payments/${id}/refund`, { amount: 1000 }, keyed)).status).toBe(200);
    const conflict = await call('POST', `/v1/payments/${id}/refund`, { amount: 2000 }, keyed);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.description).toMatch(/Different request with the same idempotency key/);
    const badKey = await call(
      'POST',
      `/v1/payments/${id}/refund`,
      {},
      { ...json, 'x-refund-idempotency': 'short' },
    );
    expect(badKey.status).toBe(400);
    await call('POST', `/v1/payments/${id}/refund`, {});
    const again = await call('POST', `/v1/payments/${id}/refund`, {});
    expect(again.body.error.description).toBe('The payment has been fully refunded already.');
    const order2 = (await call('POST', '/v1/orders', { amount: 10_000, currency: 'INR' })).body;
    const failed = emulator().completeCheckout({ order_id: order2.id, instrument: 'card_failure' });
    expect(failed.ok).toBe(false);
    const failedId = failed.ok ? '' : String(failed.error.body.error.metadata.payment_id);
    expect((await call('POST', `/v1/payments/${failedId}/refund`, {})).status).toBe(400);
  });

  it('fails the next refund of a payment on request: refund.created then refund.failed, and the money comes back', async () => {
    const order = (await call('POST', '/v1/orders', { amount: 10_000, currency: 'INR' })).body;
    const paid = emulator().completeCheckout({ order_id: order.id });
    if (!paid.ok) throw new Error('checkout failed');
    const id = paid.value.razorpay_payment_id;
    expect((await call('POST', '/_emulator/payments/pay_Unknown0000001/fail-refunds', {})).status).toBe(400);
    expect((await call('POST', `/_emulator/payments/${id}/fail-refunds`, { count: -1 })).status).toBe(400);
    const control = await call('POST', `/_emulator/payments/${id}/fail-refunds`, { count: 1 });
    expect(control.body).toEqual({ payment_id: id, fail_next: 1 });
    const failing = await call('POST', `/v1/payments/${id}/refund`, {});
    expect(failing.body).toMatchObject({ amount: 10_000, status: 'failed' });
    const events = emulator()
      .events()
      .filter((e) => e.event.startsWith('refund.'));
    expect(events.map((e) => e.event)).toEqual(['refund.created', 'refund.failed']);
    const failedEvent = JSON.parse(events[1]!.body);
    expect(failedEvent.payload.payment.entity).toMatchObject({ amount_refunded: 0, status: 'captured' });
    expect((await call('GET', `/v1/payments/${id}`)).body).toMatchObject({
      status: 'captured',
      amount_refunded: 0,
      refund_status: null,
    });
    // Only the next one fails: the refund after it goes through.
    expect((await call('POST', `/v1/payments/${id}/refund`, {})).body).toMatchObject({ status: 'processed' });
    expect((await call('GET', `/v1/payments/${id}`)).body).toMatchObject({
      status: 'refunded',
      refund_status: 'full',
    });
  });

  it('answers malformed bodies on every write route with 400, never 500', async () => {
    const plan = (await call('POST', '/v1/plans', planBody)).body;
    const sub = (await call('POST', '/v1/subscriptions', { plan_id: plan.id, total_count: 3 })).body;
    const routes = [
      ['POST', '/v1/plans'],
      ['POST', '/v1/customers'],
      ['POST', '/v1/orders'],
      ['POST', '/v1/subscriptions'],
      ['PATCH', `/v1/subscriptions/${sub.id}`],
      ['POST', `/v1/subscriptions/${sub.id}/pause`],
      ['POST', `/v1/subscriptions/${sub.id}/resume`],
      ['POST', '/_emulator/checkout/complete'],
    ];
    const bodies = [
      '[1,2]',
      '"text"',
      '42',
      'null',
      '{"notes":{"a":{"b":1}}}',
      '{"amount":"1e9"}',
      '{"total_count":-1}',
    ];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const res = await call(method as string, path as string, body);
        expect(res.status, `${method} ${path} ${body}`).toBe(400);
        expect(res.body.error.code).toBe('BAD_REQUEST_ERROR');
      }
    }
  });
});
