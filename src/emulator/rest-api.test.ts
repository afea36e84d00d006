import { describe, expect, it } from 'vitest';
import { basicAuth, TEST_KEYS } from '../../test/support/emulator.ts';
import { JSON_AUTH, PLAN_BODY, restHarness } from '../../test/support/rest-harness.ts';

const { call, emulator } = restHarness();
const auth = { authorization: basicAuth() };
const json = JSON_AUTH;
const planBody = PLAN_BODY;

describe('auth', () => {
  it.each([
    ['missing', {}],
    ['wrong secret', { authorization: basicAuth(TEST_KEYS.keyId, 'nope') }],
    ['wrong scheme', { authorization: basicAuth().replace('Basic', 'Bearer') }],
    ['lower-case scheme', { authorization: basicAuth().replace('Basic', 'basic') }],
    ['garbage', { authorization: 'Basic !!!' }],
  ])('answers 401 in Razorpay shape when auth is %s', async (_name, headers) => {
    const res = await call('GET', '/v1/plans', undefined, headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: expect.objectContaining({ code: 'BAD_REQUEST_ERROR', description: 'Authentication failed' }),
    });
  });
});

describe('ids, time, collections', () => {
  it('creates ids as prefix plus 14 base62 characters and times in unix seconds', async () => {
    const plan = await call('POST', '/v1/plans', planBody);
    expect(plan.status).toBe(200);
    expect(plan.body.id).toMatch(/^plan_[0-9A-Za-z]{14}$/);
    expect(plan.body.item.id).toMatch(/^item_[0-9A-Za-z]{14}$/);
    expect(plan.body.created_at).toBe(1_750_000_000);
    expect(plan.body.notes).toEqual([]);
  });

  it('lists newest first with count, skip, from and to; count is the page size', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await call('POST', '/v1/plans', planBody)).body.id);
      emulator().advanceClock(10);
    }
    const page = await call('GET', '/v1/plans?count=2&skip=1');
    expect(page.body).toMatchObject({ entity: 'collection', count: 2 });
    expect(page.body.items.map((p: { id: string }) => p.id)).toEqual([ids[3], ids[2]]);
    const window = await call('GET', '/v1/plans?from=1750000010&to=1750000020');
    expect(window.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    const tooMany = await call('GET', '/v1/plans?count=101');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.field).toBe('count');
    const unknown = await call('GET', '/v1/plans?colour=red');
    expect(unknown.status).toBe(400);
  });
});

describe('bodies', () => {
  it('accepts form-encoded bodies with nested keys', async () => {
    const form =
      'period=monthly&interval=1&item[name]=Form&item[amount]=29900&item[currency]=INR&notes[tier]=navigator';
    const res = await call('POST', '/v1/plans', form, {
      ...auth,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ interval: 1, item: { amount: 29_900 }, notes: { tier: 'navigator' } });
  });

  it.each([true, 1, '1', 'true'])('accepts cancel_at_cycle_end=%s as true', async (flag) => {
    const plan = (await call('POST', '/v1/plans', planBody)).body;
    const sub = (await call('POST', '/v1/subscriptions', { plan_id: plan.id, total_count: 3 })).body;
    emulator().completeCheckout({ subscription_id: sub.id });
    const res = await call('POST', `/v1/subscriptions/${sub.id}/cancel`, { cancel_at_cycle_end: flag });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('active');
  });

  it.each([false, 0, '0'])(
    'accepts cancel_at_cycle_end=%s as false, and an empty form body',
    async (flag) => {
      const plan = (await call('POST', '/v1/plans', planBody)).body;
      const a = (await call('POST', '/v1/subscriptions', { plan_id: plan.id, total_count: 3 })).body;
      const b = (await call('POST', '/v1/subscriptions', { plan_id: plan.id, total_count: 3 })).body;
      expect(
        (await call('POST', `/v1/subscriptions/${a.id}/cancel`, { cancel_at_cycle_end: flag })).body.status,
      ).toBe('cancelled');
      const empty = await call('POST', `/v1/subscriptions/${b.id}/cancel`, '', {
        ...auth,
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(empty.body.status).toBe('cancelled');
    },
  );

  it('refuses a body that is not JSON', async () => {
    const res = await call('POST', '/v1/plans', '{"period":', json);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST_ERROR');
  });
});

describe('orders and payments', () => {
  it('pays an order through checkout: captured payment, paid order, valid signature, listed payments', async () => {
    const order = (await call('POST', '/v1/orders', { amount: 29_900, currency: 'INR', receipt: 'r-1' }))
      .body;
    const paid = emulator().completeCheckout({ order_id: order.id, instrument: 'upi_success' });
    if (!paid.ok) throw new Error('checkout failed');
    const payment = (await call('GET', `/v1/payments/${paid.value.razorpay_payment_id}`)).body;
    expect(payment).toMatchObject({
      status: 'captured',
      method: 'upi',
      order_id: order.id,
      vpa: 'success@razorpay',
    });
    expect((await call('GET', `/v1/orders/${order.id}`)).body).toMatchObject({
      status: 'paid',
      amount_due: 0,
      attempts: 1,
    });
    const list = (await call('GET', `/v1/orders/${order.id}/payments`)).body;
    expect(list.items.map((p: { id: string }) => p.id)).toEqual([payment.id]);
    expect(
      emulator()
        .events()
        .map((e) => e.event),
    ).toEqual(['payment.authorized', 'payment.captured', 'order.paid']);
    expect((await call('GET', '/v1/payments')).body.count).toBe(1);
  });

  it('a failed card leaves Razorpay error fields on the payment and emits payment.failed', async () => {
    const order = (await call('POST', '/v1/orders', { amount: 29_900, currency: 'INR' })).body;
    const failed = emulator().completeCheckout({ order_id: order.id, instrument: 'card_failure' });
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', reason: 'payment_failed' });
    const payment = (await call('GET', `/v1/payments/${failed.error.body.error.metadata.payment_id}`)).body;
    expect(payment).toMatchObject({
      status: 'failed',
      error_code: 'BAD_REQUEST_ERROR',
      error_step: 'payment_authorization',
    });
    expect((await call('GET', `/v1/orders/${order.id}`)).body.status).toBe('attempted');
    expect(
      emulator()
        .events()
        .map((e) => e.event),
    ).toEqual(['payment.failed']);
  });

  it('creates customers, and returns the existing one when fail_existing is 0', async () => {
    const a = await call('POST', '/v1/customers', {
      name: 'A',
      email: 'a@example.com',
      contact: '+919000000001',
    });
    expect(a.body.id).toMatch(/^cust_[0-9A-Za-z]{14}$/);
    const dup = await call('POST', '/v1/customers', { email: 'a@example.com', contact: '+919000000001' });
    expect(dup.status).toBe(400);
    const same = await call('POST', '/v1/customers', {
      email: 'a@example.com',
      contact: '+919000000001',
      fail_existing: '0',
    });
    expect(same.body.id).toBe(a.body.id);
  });
});
