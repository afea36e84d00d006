import { describe, expect, it } from 'vitest';
import { PLAN_BODY, restHarness } from '../../test/support/rest-harness.ts';
import { lastChargeTime } from './period.ts';

// Where the emulator follows Razorpay's published samples (test/fixtures/razorpay/SOURCES.md).
const { call, emulator } = restHarness();
const T0 = 1_750_000_000; // 20:36:40 IST on 15 Jun 2025, the harness clock
const DAY = 86_400;
const atMidnightIst = (t: number) => (t + 19_800) % DAY === 0;

async function subscription(extra: Record<string, unknown> = {}) {
  const plan = (await call('POST', '/v1/plans', PLAN_BODY)).body;
  const created = await call('POST', '/v1/subscriptions', { plan_id: plan.id, total_count: 3, ...extra });
  expect(created.status).toBe(200);
  return { plan, created: created.body };
}
const fetchSub = async (id: string) => (await call('GET', `/v1/subscriptions/${id}`)).body;
const invoicesOf = async (id: string) =>
  (await call('GET', `/v1/invoices?subscription_id=${id}&count=100`)).body.items.reverse();
const eventsNamed = (name: string) =>
  emulator()
    .events()
    .filter((e) => e.event === name)
    .map((e) => JSON.parse(e.body).payload.subscription.entity);

describe('the emulator follows the documented behaviour', () => {
  it('end_at is the time of the last charge, and equals ended_at on completion', async () => {
    const { created } = await subscription();
    expect(created.end_at).toBe(lastChargeTime(T0, 'monthly', 1, 3));
    emulator().completeCheckout({ subscription_id: created.id });
    emulator().advanceClock(100 * DAY);
    const done = await fetchSub(created.id);
    expect(done).toMatchObject({ status: 'completed', paid_count: 3, ended_at: done.end_at });
    const charges = eventsNamed('subscription.charged').map((s) => s.current_start);
    expect(charges.at(-1)).toBe(done.end_at);
    expect(eventsNamed('subscription.completed')[0]).toMatchObject({
      end_at: done.end_at,
      ended_at: done.end_at,
    });
  });

  it('a future start counts end_at from start_at', async () => {
    const start = T0 + 10 * DAY;
    const { created } = await subscription({ start_at: start, total_count: 6 });
    expect(created).toMatchObject({ start_at: start, charge_at: start });
    expect(created.end_at).toBe(lastChargeTime(start, 'monthly', 1, 6));
    expect(atMidnightIst(created.end_at)).toBe(true);
  });

  it('cycle boundaries fall on 00:00 IST: the first cycle ends there, every later one runs midnight to midnight', async () => {
    const { created } = await subscription();
    emulator().completeCheckout({ subscription_id: created.id });
    const first = await fetchSub(created.id);
    expect(first.current_start).toBe(T0);
    expect(atMidnightIst(first.current_end)).toBe(true);
    expect(first.current_end).toBe(Date.UTC(2025, 6, 14, 18, 30) / 1000);
    emulator().advanceClock(31 * DAY);
    const second = await fetchSub(created.id);
    expect(second.current_start).toBe(first.current_end);
    expect(atMidnightIst(second.current_end)).toBe(true);
    const [, invoice] = await invoicesOf(created.id);
    expect(invoice).toMatchObject({ billing_start: second.current_start, billing_end: second.current_end });
  });

  it('customer_id is left out of the create, pause and resume responses, as documented, but not of fetches or events', async () => {
    const { created } = await subscription();
    expect(created).not.toHaveProperty('customer_id');
    emulator().completeCheckout({ subscription_id: created.id });
    const paused = await call('POST', `/v1/subscriptions/${created.id}/pause`, { pause_at: 'now' });
    expect(paused.body).toMatchObject({ status: 'paused' });
    expect(paused.body).not.toHaveProperty('customer_id');
    const resumed = await call('POST', `/v1/subscriptions/${created.id}/resume`, { resume_at: 'now' });
    expect(resumed.body).toMatchObject({ status: 'active' });
    expect(resumed.body).not.toHaveProperty('customer_id');
    const customer = (await fetchSub(created.id)).customer_id;
    expect(customer).toMatch(/^cust_/);
    expect(eventsNamed('subscription.paused')[0].customer_id).toBe(customer);
    const cancelled = await call('POST', `/v1/subscriptions/${created.id}/cancel`, {});
    expect(cancelled.body.customer_id).toBe(customer);
  });

  it('an add-on is its own `type: "addon"` line on the first invoice only', async () => {
    const addon = { name: 'Delivery charges', amount: 30_000, currency: 'INR' };
    const { created } = await subscription({ addons: [{ item: addon }] });
    emulator().completeCheckout({ subscription_id: created.id });
    emulator().advanceClock(31 * DAY);
    const [first, second] = await invoicesOf(created.id);
    expect(first.line_items).toMatchObject([
      { type: 'plan', name: 'Explorer', amount: 159_900, quantity: 1 },
      {
        type: 'addon',
        name: 'Delivery charges',
        amount: 30_000,
        gross_amount: 30_000,
        quantity: 1,
        item_id: null,
      },
    ]);
    expect(first).toMatchObject({ amount: 189_900, amount_paid: 189_900, gross_amount: 189_900 });
    expect(second.line_items.map((l: { type: string }) => l.type)).toEqual(['plan']);
    expect(second.amount).toBe(159_900);
  });

  it.each([
    ['an order', '/v1/orders', { amount: 10_000, currency: 'USD' }, '/v1/orders'],
    ['a plan', '/v1/plans', { ...PLAN_BODY, item: { ...PLAN_BODY.item, currency: 'USD' } }, '/v1/plans'],
  ])(
    'refuses %s in a currency the account does not support, and creates nothing',
    async (_n, path, body, list) => {
      const before = (await call('GET', list)).body.count;
      const res = await call('POST', path, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'BAD_REQUEST_ERROR',
        description: 'Currency is not supported',
        field: 'currency',
      });
      expect((await call('GET', list)).body.count).toBe(before);
    },
  );

  it('refuses an add-on in another currency, and creates no subscription', async () => {
    const plan = (await call('POST', '/v1/plans', PLAN_BODY)).body;
    const res = await call('POST', '/v1/subscriptions', {
      plan_id: plan.id,
      total_count: 3,
      addons: [{ item: { name: 'Setup', amount: 1000, currency: 'EUR' } }],
    });
    expect(res.body.error).toMatchObject({ description: 'Currency is not supported', field: 'currency' });
    expect((await call('GET', '/v1/subscriptions')).body.count).toBe(0);
  });

  it('says "The amount must be an integer." for a fractional amount, and creates nothing', async () => {
    const res = await call('POST', '/v1/orders', { amount: 100.5, currency: 'INR' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'BAD_REQUEST_ERROR',
      description: 'The amount must be an integer.',
      field: 'amount',
    });
    expect((await call('GET', '/v1/orders')).body.count).toBe(0);
  });
});
