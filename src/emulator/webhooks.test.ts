import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth, startReceiver, TEST_KEYS } from '../../test/support/emulator.ts';
import { waitFor } from '../../test/support/wait.ts';
import { verifyWebhookSignature } from '../adapters/razorpay/signature.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from './create-emulator.ts';
import { RETRY_LADDER_SECONDS } from './retry-ladder.ts';

// biome-ignore lint/suspicious/noExplicitAny: test assertions read response JSON loosely
type Loose = Record<string, any>;

const SECRET = 'whsec_emulator_test_0001';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  cleanups.push(r.close);
  return r;
}
function emulator(options: Partial<EmulatorOptions> = {}): Emulator {
  const emu = createEmulator({ ...TEST_KEYS, clock: 1_750_000_000, ...options });
  cleanups.push(() => emu.close());
  return emu;
}
async function control(emu: Emulator, method: string, path: string, body?: unknown) {
  const res = await emu.app.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Loose;
}
/** One order paid by card: payment.authorized, payment.captured, order.paid. */
async function payOrder(emu: Emulator) {
  const res = await emu.app.request('/v1/orders', {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 10_000, currency: 'INR' }),
  });
  const order = (await res.json()) as { id: string };
  const paid = emu.completeCheckout({ order_id: order.id });
  if (!paid.ok) throw new Error('checkout failed');
  return order.id;
}

/** The order an order.paid or payment.* delivery is about. */
function orderOf(body: Buffer): string {
  const { payload } = JSON.parse(body.toString()) as Loose;
  return payload.order?.entity.id ?? payload.payment.entity.order_id;
}

describe('webhook delivery', () => {
  it('sends Razorpay envelopes with its headers and an HMAC over the exact bytes, same event id to every endpoint', async () => {
    const a = await receiver();
    const b = await receiver();
    const emu = emulator({ webhooks: [{ url: a.url, secret: SECRET }] });
    await control(emu, 'POST', '/_emulator/webhooks', {
      url: b.url,
      secret: 'other_secret_1',
      events: ['order.paid'],
    });
    const orderId = await payOrder(emu);
    await waitFor(() => a.received.length === 3 && b.received.length === 1, 3000, 'deliveries');
    for (const r of a.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toBe('Razorpay-Webhook/v1');
      const id = r.headers['x-razorpay-event-id'] as string;
      expect(id).toMatch(/^[0-9A-Za-z]{14}$/);
      expect(r.headers['request-id']).toBe(id);
      expect(verifyWebhookSignature(r.body, r.headers['x-razorpay-signature'] as string, [SECRET]).ok).toBe(
        true,
      );
      const envelope = JSON.parse(r.body.toString());
      expect(Object.keys(envelope).sort()).toEqual([
        'account_id',
        'contains',
        'created_at',
        'entity',
        'event',
        'payload',
      ]);
      expect(envelope).toMatchObject({
        entity: 'event',
        account_id: expect.stringMatching(/^acc_[0-9A-Za-z]{14}$/),
        created_at: 1_750_000_000,
      });
      for (const name of envelope.contains) expect(envelope.payload[name].entity.entity).toBe(name);
    }
    const events = a.received.map((r) => JSON.parse(r.body.toString()).event).sort();
    expect(events).toEqual(['order.paid', 'payment.authorized', 'payment.captured']);
    const orderPaid = a.received.find((r) => JSON.parse(r.body.toString()).event === 'order.paid')!;
    expect(b.received[0]!.headers['x-razorpay-event-id']).toBe(orderPaid.headers['x-razorpay-event-id']);
    expect(
      verifyWebhookSignature(b.received[0]!.body, b.received[0]!.headers['x-razorpay-signature'] as string, [
        'other_secret_1',
      ]).ok,
    ).toBe(true);
    expect(JSON.parse(orderPaid.body.toString()).payload.order.entity).toMatchObject({
      id: orderId,
      status: 'paid',
    });
    await waitFor(() => emu.deliveries().every((d) => d.status === 'delivered'), 1000, 'log');
    const log = await control(emu, 'GET', '/_emulator/webhooks/deliveries?status=delivered');
    expect(log.count).toBe(4);
    expect(log.items[0].secret).toBeUndefined();
  });

  it('retries any non-2xx on the ladder and disables the endpoint after the scaled 24 h', async () => {
    const scale = 100_000;
    const bad = await receiver(() => 400);
    const emu = emulator({
      webhookTimeScale: scale,
      webhooks: [{ url: bad.url, secret: SECRET, events: ['order.paid'] }],
    });
    await payOrder(emu);
    await waitFor(() => bad.received.length === RETRY_LADDER_SECONDS.length, 3000, 'all attempts');
    await waitFor(() => emu.deliveries()[0]!.attempts.length === 16, 1000, 'log');
    const delivery = emu.deliveries()[0]!;
    delivery.attempts.forEach((a, i) => {
      expect(a.at_ms - delivery.created_ms).toBeGreaterThanOrEqual(
        (RETRY_LADDER_SECONDS[i]! * 1000) / scale - 1,
      );
    });
    // The last retry comes at 22.8 h (scaled), not before.
    expect(bad.received.at(-1)!.atMs - bad.received[0]!.atMs).toBeGreaterThan((82_080_000 / scale) * 0.9);
    const ids = new Set(bad.received.map((r) => r.headers['x-razorpay-event-id']));
    expect(ids.size).toBe(1);
    await waitFor(
      () => (emu.ctx.state.webhooks.values().next().value?.active ?? true) === false,
      2000,
      'disable',
    );
    expect(emu.deliveries()[0]).toMatchObject({ status: 'failed' });
    expect(emu.deliveries()[0]!.attempts).toHaveLength(16);
    // A witness registered after the disable gets the next event; by then the disabled endpoint
    // would have had its own delivery of that event, created in the same pass.
    const witness = await receiver();
    await control(emu, 'POST', '/_emulator/webhooks', {
      url: witness.url,
      secret: SECRET,
      events: ['order.paid'],
    });
    await payOrder(emu);
    await waitFor(() => witness.received.length === 1, 1000, 'the witness delivery');
    const newEvent = witness.received[0]!.headers['x-razorpay-event-id'];
    expect(emu.deliveries().filter((d) => d.event_id === newEvent)).toHaveLength(1);
    expect(bad.received).toHaveLength(16);
  });

  it('a hanging, resetting or failing endpoint is retried and never blocks another', async () => {
    let calls = 0;
    const flaky = await receiver(() => {
      calls += 1;
      return calls === 1 ? 'hang' : calls === 2 ? 'reset' : calls === 3 ? 500 : 200;
    });
    const good = await receiver();
    const emu = emulator({
      webhookTimeScale: 20,
      webhookTimeoutMs: 1000,
      webhooks: [
        { url: flaky.url, secret: SECRET, events: ['order.paid'] },
        { url: good.url, secret: SECRET, events: ['order.paid'] },
      ],
    });
    await payOrder(emu);
    await waitFor(
      () => emu.deliveries().every((d) => d.status === 'delivered'),
      5000,
      'flaky endpoint recovers',
    );
    const deliveryTo = (url: string) =>
      emu.deliveries().find((d) => emu.ctx.state.webhooks.get(d.webhook_id)?.url === url)!;
    const flakyAttempts = deliveryTo(flaky.url).attempts;
    expect(flakyAttempts.map((a) => a.status)).toEqual([null, null, 500, 200]);
    expect(flakyAttempts[0]!.error).toMatch(/timeout/);
    expect(flakyAttempts[0]!.duration_ms).toBeGreaterThanOrEqual(990);
    // Not blocked: the good endpoint's only attempt ended while the flaky one's first still hung.
    const ended = (a: { at_ms: number; duration_ms: number }) => a.at_ms + a.duration_ms;
    const goodAttempts = deliveryTo(good.url).attempts;
    expect(goodAttempts.map((a) => a.status)).toEqual([200]);
    expect(ended(goodAttempts[0]!)).toBeLessThan(ended(flakyAttempts[0]!));
  });

  it('times out after 5 s by default', async () => {
    const hang = await receiver(() => 'hang');
    const emu = emulator({
      webhookTimeScale: 1,
      webhooks: [{ url: hang.url, secret: SECRET, events: ['order.paid'] }],
    });
    await payOrder(emu);
    await waitFor(() => (emu.deliveries()[0]?.attempts.length ?? 0) >= 1, 7000, 'first attempt');
    const attempt = emu.deliveries()[0]!.attempts[0]!;
    expect(attempt.error).toMatch(/timeout after 5000 ms/);
    expect(attempt.duration_ms).toBeGreaterThanOrEqual(4900);
  }, 10_000);

  it('retries keep the secret the event was signed with; replays use the current one and re-enable', async () => {
    const r = await receiver((_req, i) => (i === 0 ? 500 : 200));
    const emu = emulator({
      webhookTimeScale: 1,
      webhooks: [{ url: r.url, secret: 'old_secret_0001', events: ['order.paid'] }],
    });
    const hook = [...emu.ctx.state.webhooks.values()][0]!;
    await payOrder(emu);
    await waitFor(() => r.received.length >= 1, 1000, 'first attempt');
    expect(r.received).toHaveLength(1);
    await control(emu, 'PATCH', `/_emulator/webhooks/${hook.id}`, { secret: 'new_secret_0001' });
    await waitFor(() => r.received.length === 2, 1000, 'retry');
    const sig = (i: number) => r.received[i]!.headers['x-razorpay-signature'] as string;
    expect(verifyWebhookSignature(r.received[1]!.body, sig(1), ['old_secret_0001']).ok).toBe(true);
    const eventId = r.received[0]!.headers['x-razorpay-event-id'];
    await control(emu, 'PATCH', `/_emulator/webhooks/${hook.id}`, { active: false });
    const replay = await control(emu, 'POST', '/_emulator/webhooks/replay', { event_id: eventId });
    expect(replay.replayed).toEqual([eventId]);
    await waitFor(() => r.received.length === 3, 1000, 'replay');
    expect(r.received[2]!.headers['x-razorpay-event-id']).toBe(eventId);
    expect(verifyWebhookSignature(r.received[2]!.body, sig(2), ['new_secret_0001']).ok).toBe(true);
    expect(r.received[2]!.body.equals(r.received[0]!.body)).toBe(true);
    expect(hook.active).toBe(true);
  });

  it('replays a time window, skipping events already acknowledged', async () => {
    const r = await receiver((req) => (JSON.parse(req.body.toString()).event === 'order.paid' ? 500 : 200));
    const emu = emulator({ webhookTimeScale: 1, webhooks: [{ url: r.url, secret: SECRET }] });
    await payOrder(emu);
    await waitFor(() => r.received.length === 3, 1000, 'first round');
    r.setBehaviour(() => 200);
    const replay = await control(emu, 'POST', '/_emulator/webhooks/replay', {
      from: 1_749_999_000,
      to: 1_750_000_100,
    });
    expect(replay.replayed).toHaveLength(1);
    await waitFor(() => r.received.length === 4, 1000, 'replayed delivery');
    expect(JSON.parse(r.received[3]!.body.toString()).event).toBe('order.paid');
    expect((await control(emu, 'POST', '/_emulator/webhooks/replay', { event_id: 'nope' })).error.field).toBe(
      'event_id',
    );
  });
});

describe('webhook fault knobs', () => {
  it('duplicates each delivery N times with the same event id', async () => {
    const r = await receiver();
    const emu = emulator({ webhooks: [{ url: r.url, secret: SECRET, events: ['order.paid'] }] });
    await control(emu, 'POST', '/_emulator/faults', { webhooks: { duplicate: 3 } });
    await payOrder(emu);
    await waitFor(() => r.received.length === 3, 1000, 'duplicates');
    expect(new Set(r.received.map((x) => x.headers['x-razorpay-event-id'])).size).toBe(1);
  });

  it('drops deliveries', async () => {
    const r = await receiver();
    const emu = emulator({ webhooks: [{ url: r.url, secret: SECRET }] });
    emu.setWebhookFaults({ drop: 1 });
    await payOrder(emu);
    expect(emu.deliveries().map((d) => d.status)).toEqual(['dropped', 'dropped', 'dropped']);
    expect(emu.pendingDeliveries()).toBe(0);
    // The next order's events, queued after the dropped ones would have been, are the only ones that arrive.
    emu.setWebhookFaults({ drop: 0 });
    const next = await payOrder(emu);
    await waitFor(() => emu.pendingDeliveries() === 0 && r.received.length >= 3, 1000, 'the next deliveries');
    expect(r.received.map((x) => orderOf(x.body))).toEqual([next, next, next]);
  });

  it('fails the first N attempts without sending, then delivers on the ladder', async () => {
    const r = await receiver();
    const emu = emulator({
      webhookTimeScale: 1000,
      webhooks: [{ url: r.url, secret: SECRET, events: ['order.paid'] }],
    });
    emu.setWebhookFaults({ fail_first: 2 });
    await payOrder(emu);
    // The receiver answers before the emulator records the attempt: wait for the record.
    await waitFor(() => emu.deliveries()[0]?.status === 'delivered', 1000, 'delivery');
    expect(r.received).toHaveLength(1);
    expect(emu.deliveries()[0]!.attempts.map((a) => a.fault ?? a.status)).toEqual([
      'fail_first',
      'fail_first',
      200,
    ]);
  });

  it('reorders deliveries inside a window and delays them', async () => {
    const r = await receiver();
    const emu = emulator({ webhooks: [{ url: r.url, secret: SECRET }] });
    emu.setWebhookFaults({ reorder_window_ms: 50, delay_ms: 30 });
    const started = performance.now();
    await payOrder(emu);
    await waitFor(() => r.received.length === 3, 1000, 'deliveries');
    expect(r.received[0]!.atMs - started).toBeGreaterThanOrEqual(75);
    const order = r.received.map((x) => JSON.parse(x.body.toString()).event);
    expect(order).toEqual(['order.paid', 'payment.captured', 'payment.authorized']);
  });

  it('refuses unknown fault knobs', async () => {
    const emu = emulator();
    const res = await control(emu, 'POST', '/_emulator/faults', { webhooks: { explode: true } });
    expect(res.error.description).toMatch(/explode/);
  });
});
