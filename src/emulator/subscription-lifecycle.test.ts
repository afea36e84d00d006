import { beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, TEST_KEYS } from '../../test/support/emulator.ts';
import { createEmulator, type Emulator } from './create-emulator.ts';

// biome-ignore lint/suspicious/noExplicitAny: test assertions read response JSON loosely
type Loose = Record<string, any>;

const T0 = 1_750_000_000;
const DAY = 86_400;
let emu: Emulator;
const headers = { authorization: basicAuth(), 'content-type': 'application/json' };

async function call(method: string, path: string, body?: unknown) {
  const res = await emu.app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Loose };
}
const sub = async (id: string) => (await call('GET', `/v1/subscriptions/${id}`)).body;
const invoices = async (id: string) =>
  (await call('GET', `/v1/invoices?subscription_id=${id}&count=100`)).body.items;
const eventNames = () => emu.events().map((e) => e.event);
function payloadOf(name: string, index = -1) {
  const matching = emu.events().filter((e) => e.event === name);
  const event = matching.at(index);
  if (!event) throw new Error(`no ${name} event`);
  return JSON.parse(event.body) as Loose;
}

async function newSubscription(extra: Record<string, unknown> = {}, restrict = true) {
  if (!restrict) emu = createEmulator({ ...TEST_KEYS, clock: T0, restrictUpdates: false });
  const plan = (
    await call('POST', '/v1/plans', {
      period: 'monthly',
      interval: 1,
      item: { name: 'P', amount: 50_000, currency: 'INR' },
    })
  ).body;
  const created = (await call('POST', '/v1/subscriptions', { plan_id: plan.id, total_count: 6, ...extra }))
    .body;
  return { plan, created };
}
async function activeSubscription(restrict = true) {
  const { plan, created } = await newSubscription({}, restrict);
  const done = emu.completeCheckout({ subscription_id: created.id });
  if (!done.ok) throw new Error('checkout failed');
  return { plan, id: created.id as string, paymentId: done.value.razorpay_payment_id };
}

beforeEach(() => {
  emu = createEmulator({ ...TEST_KEYS, clock: T0 });
});

describe('subscription lifecycle on the test clock', () => {
  it('an immediate start charges at authorisation: activated, then charged, with a paid invoice', async () => {
    const { id, paymentId } = await activeSubscription();
    const s = await sub(id);
    expect(s).toMatchObject({
      status: 'active',
      paid_count: 1,
      remaining_count: 5,
      current_start: T0,
      auth_attempts: 0,
    });
    // From the authorisation (20:36 IST on 15 Jun 2025) to 00:00 IST on 15 Jul, as Razorpay's cycles run.
    expect(s.current_end).toBe(Date.UTC(2025, 6, 14, 18, 30) / 1000);
    expect(s.charge_at).toBe(s.current_end);
    expect(s.customer_id).toMatch(/^cust_/);
    expect(eventNames()).toEqual([
      'payment.authorized',
      'payment.captured',
      'invoice.paid',
      'subscription.activated',
      'subscription.charged',
    ]);
    const charged = payloadOf('subscription.charged');
    expect(charged.contains).toEqual(['subscription', 'payment']);
    expect(charged.payload.payment.entity).toMatchObject({
      id: paymentId,
      status: 'captured',
      captured: true,
    });
    expect((await invoices(id))[0]).toMatchObject({
      status: 'paid',
      payment_id: paymentId,
      billing_start: T0,
    });
  });

  it('renews each cycle when the clock passes charge_at', async () => {
    const { id } = await activeSubscription();
    const firstEnd = (await sub(id)).current_end;
    emu.advanceClock(31 * DAY);
    const s = await sub(id);
    expect(s).toMatchObject({ status: 'active', paid_count: 2, current_start: firstEnd, remaining_count: 4 });
    expect(await invoices(id)).toHaveLength(2);
    expect(eventNames().slice(5)).toEqual([
      'payment.authorized',
      'payment.captured',
      'invoice.paid',
      'subscription.charged',
    ]);
    expect(payloadOf('subscription.charged').created_at).toBe(firstEnd);
  });

  it('a failed renewal goes pending, retries the next day and recovers: charged then activated', async () => {
    const { id } = await activeSubscription();
    const end = (await sub(id)).current_end;
    emu.failNextCharges(id, 1);
    emu.advanceClock(end - T0);
    expect(await sub(id)).toMatchObject({
      status: 'pending',
      auth_attempts: 1,
      charge_at: end + DAY,
      paid_count: 1,
    });
    expect(eventNames().slice(-2)).toEqual(['payment.failed', 'subscription.pending']);
    emu.advanceClock(DAY);
    expect(await sub(id)).toMatchObject({ status: 'active', auth_attempts: 0, paid_count: 2 });
    expect(eventNames().slice(-2)).toEqual(['subscription.charged', 'subscription.activated']);
    const invs = await invoices(id);
    expect(invs).toHaveLength(2);
    expect(invs.every((i: { status: string }) => i.status === 'paid')).toBe(true);
  });

  it('four failures in a row halt it; halted keeps issuing invoices without charging; a new card reactivates', async () => {
    const { id } = await activeSubscription();
    const end = (await sub(id)).current_end;
    const control = await call('POST', `/_emulator/subscriptions/${id}/fail-charges`, { count: 4 });
    expect(control.status).toBe(200);
    emu.advanceClock(end - T0 + 3 * DAY);
    const halted = await sub(id);
    expect(halted).toMatchObject({ status: 'halted', auth_attempts: 4, paid_count: 1 });
    const tail = eventNames().slice(5);
    expect(tail.filter((e) => e === 'payment.failed')).toHaveLength(4);
    expect(tail.filter((e) => e === 'subscription.pending')).toHaveLength(3);
    expect(tail.at(-1)).toBe('subscription.halted');
    const eventsBefore = emu.events().length;
    emu.advanceClock(halted.charge_at - emu.now());
    expect(await invoices(id)).toHaveLength(3);
    expect((await invoices(id))[0].status).toBe('issued');
    expect(emu.events().length).toBe(eventsBefore);
    const recovered = emu.completeCheckout({ subscription_id: id, instrument: 'card_success' });
    expect(recovered.ok).toBe(true);
    expect((await sub(id)).status).toBe('active');
    expect(eventNames().slice(-2)).toEqual(['subscription.charged', 'subscription.activated']);
  });

  it('cancel at cycle end shows nothing until current_end, then cancels instead of renewing', async () => {
    const { id } = await activeSubscription();
    const before = await sub(id);
    const res = await call('POST', `/v1/subscriptions/${id}/cancel`, { cancel_at_cycle_end: 1 });
    expect(res.body).toEqual(before);
    const count = emu.events().length;
    emu.advanceClock(before.current_end - T0 - 1);
    expect((await sub(id)).status).toBe('active');
    expect(emu.events().length).toBe(count);
    emu.advanceClock(10 * DAY);
    const after = await sub(id);
    expect(after).toMatchObject({
      status: 'cancelled',
      ended_at: before.current_end,
      charge_at: null,
      paid_count: 1,
    });
    expect(eventNames().slice(count)).toEqual(['subscription.cancelled']);
    expect(payloadOf('subscription.cancelled').created_at).toBe(before.current_end);
  });

  it('pauses only when active, charges nothing while paused, and resumes with subscription.resumed', async () => {
    const { id } = await activeSubscription();
    const paused = await call('POST', `/v1/subscriptions/${id}/pause`, { pause_at: 'now' });
    expect(paused.body).toMatchObject({
      status: 'paused',
      pause_initiated_by: 'self',
      charge_at: null,
      paused_at: T0,
    });
    expect((await call('POST', `/v1/subscriptions/${id}/pause`, { pause_at: 'now' })).status).toBe(400);
    emu.advanceClock(45 * DAY);
    expect((await sub(id)).paid_count).toBe(1);
    const resumed = await call('POST', `/v1/subscriptions/${id}/resume`, { resume_at: 'now' });
    expect(resumed.body.status).toBe('active');
    expect(eventNames().slice(-2)).toEqual(['subscription.paused', 'subscription.resumed']);
    expect(payloadOf('subscription.resumed').payload.subscription.entity.status).toBe('active');
    expect((await call('POST', `/v1/subscriptions/${id}/resume`, {})).status).toBe(400);
  });

  it('a future start authenticates first and charges at start_at: activated then charged', async () => {
    const { created } = await newSubscription({ start_at: T0 + 10 * DAY });
    expect(emu.completeCheckout({ subscription_id: created.id }).ok).toBe(true);
    expect(await sub(created.id)).toMatchObject({
      status: 'authenticated',
      paid_count: 0,
      charge_at: T0 + 10 * DAY,
    });
    expect(eventNames()).toEqual(['subscription.authenticated']);
    emu.advanceClock(10 * DAY);
    expect(await sub(created.id)).toMatchObject({
      status: 'active',
      paid_count: 1,
      current_start: T0 + 10 * DAY,
    });
    expect(eventNames().slice(-2)).toEqual(['subscription.activated', 'subscription.charged']);
  });

  it('pausing an authenticated subscription cancels it', async () => {
    const { created } = await newSubscription({ start_at: T0 + 10 * DAY });
    emu.completeCheckout({ subscription_id: created.id });
    expect((await call('POST', `/v1/subscriptions/${created.id}/pause`, {})).body.status).toBe('cancelled');
  });

  it('expires when not authorised by expire_by, with no event', async () => {
    const { created } = await newSubscription({ expire_by: T0 + DAY });
    emu.advanceClock(2 * DAY);
    expect(await sub(created.id)).toMatchObject({ status: 'expired' });
    expect(emu.events()).toHaveLength(0);
    const cancel = await call('POST', `/v1/subscriptions/${created.id}/cancel`, {});
    expect(cancel.body.error).toMatchObject({
      description: 'Subscription is not cancellable in expired status.',
      field: 'status',
    });
  });

  it('completes after total_count charges with subscription.completed', async () => {
    const { id } = await activeSubscription();
    const res = await call('POST', '/_emulator/clock/advance', { duration: '200d' });
    expect(res.body.now).toBe(T0 + 200 * DAY);
    const s = await sub(id);
    expect(s).toMatchObject({ status: 'completed', paid_count: 6, remaining_count: 0, charge_at: null });
    expect(eventNames().at(-1)).toBe('subscription.completed');
    expect(eventNames().filter((e) => e === 'subscription.charged')).toHaveLength(6);
  });

  it('refuses plan or quantity updates on card subscriptions, as Razorpay does', async () => {
    const { id } = await activeSubscription();
    const res = await call('PATCH', `/v1/subscriptions/${id}`, { quantity: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      description: 'Only offers can be updated for subscriptions when payment mode is domestic card',
      field: 'offer_id',
    });
  });

  it('applies a cycle-end update at current_end with subscription.updated (restrictions off)', async () => {
    const { id } = await activeSubscription(false);
    const plan2 = (
      await call('POST', '/v1/plans', {
        period: 'monthly',
        interval: 1,
        item: { name: 'Q', amount: 90_000, currency: 'INR' },
      })
    ).body;
    const res = await call('PATCH', `/v1/subscriptions/${id}`, {
      plan_id: plan2.id,
      quantity: 3,
      schedule_change_at: 'cycle_end',
    });
    expect(res.body).toMatchObject({
      has_scheduled_changes: true,
      plan_id: expect.not.stringMatching(plan2.id),
    });
    const preview = await call('GET', `/v1/subscriptions/${id}/retrieve_scheduled_changes`);
    expect(preview.body).toMatchObject({ plan_id: plan2.id, quantity: 3 });
    emu.advanceClock(31 * DAY);
    expect(await sub(id)).toMatchObject({
      plan_id: plan2.id,
      quantity: 3,
      has_scheduled_changes: false,
      paid_count: 2,
    });
    expect(eventNames()).toContain('subscription.updated');
    expect((await invoices(id))[0].amount).toBe(270_000);
    const updatedNow = await call('PATCH', `/v1/subscriptions/${id}`, { quantity: 1 });
    expect(updatedNow.body.quantity).toBe(1);
    const cancelled = await call('POST', `/v1/subscriptions/${id}/cancel`, {});
    expect(cancelled.body.status).toBe('cancelled');
    expect((await call('PATCH', `/v1/subscriptions/${id}`, { quantity: 2 })).status).toBe(400);
  });
});
