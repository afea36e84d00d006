import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, TEST_KEYS } from '../../../test/support/emulator.ts';
import { createEmulator, type Emulator, type EmulatorServer } from '../../emulator/create-emulator.ts';
import { RazorpayApiError, RazorpayTransportError } from './errors.ts';
import { createHttpGateway } from './http-gateway.ts';

let emu: Emulator;
let server: EmulatorServer;
beforeAll(async () => {
  emu = createEmulator({ ...TEST_KEYS, clock: 1_750_000_000 });
  server = await emu.listen();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

// Outages last until the gateway has backed off `outageWaits` times (its injected sleep ends them),
// not for a fixed time its first request might miss on a loaded machine.
const LONG_OUTAGE_MS = 60_000;

function gateway(extra: Partial<Parameters<typeof createHttpGateway>[0]> = {}, outageWaits = 0) {
  const waits: number[] = [];
  const gw = createHttpGateway({
    baseUrl: server.url,
    ...TEST_KEYS,
    timeoutMs: 2000,
    retries: 4,
    backoffMs: 40,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      if (waits.length === outageWaits) emu.stopApiOutage();
    },
    ...extra,
  });
  return { gw, waits };
}

describe('HTTP gateway: retries, timeouts and typed errors', () => {
  it('retries 429 even for a create, with jittered exponential waits, until the outage ends', async () => {
    emu.startApiOutage({ mode: 'rate_limit', status: 503, duration_ms: LONG_OUTAGE_MS });
    const { gw, waits } = gateway({ backoffMs: 60 }, 3);
    const order = await gw.createOrder({ amount: 10_000, currency: 'INR' });
    expect(order.ok).toBe(true);
    expect(waits).toEqual([30, 60, 120]);
    expect(emu.ctx.state.orders.size).toBe(1);
  });

  it('retries a GET through a 5xx outage', async () => {
    const plan = await gateway().gw.createPlan({
      period: 'monthly',
      interval: 1,
      item: { name: 'P', amount: 100, currency: 'INR' },
    });
    if (!plan.ok) throw plan.error;
    emu.startApiOutage({ mode: 'error', status: 502, duration_ms: LONG_OUTAGE_MS });
    const { gw, waits } = gateway({}, 2);
    const fetched = await gw.fetchPlan(plan.value.id);
    expect(fetched.ok).toBe(true);
    expect(waits).toEqual([20, 40]);
  });

  it('does not retry a non-idempotent create on 5xx: typed SERVER_ERROR, nothing created', async () => {
    emu.startApiOutage({ mode: 'error', status: 500, duration_ms: LONG_OUTAGE_MS });
    const { gw, waits } = gateway();
    const result = await gw.createOrder({ amount: 10_000, currency: 'INR' });
    emu.stopApiOutage();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(RazorpayApiError);
    expect(result.error).toMatchObject({ statusCode: 500, code: 'SERVER_ERROR' });
    expect(waits).toEqual([]);
    expect(emu.ctx.state.orders.size).toBe(0);
  });

  it('retries a refund with an idempotency key through a 5xx outage and refunds once', async () => {
    const order = await gateway().gw.createOrder({ amount: 10_000, currency: 'INR' });
    if (!order.ok) throw order.error;
    const paid = emu.completeCheckout({ order_id: order.value.id });
    if (!paid.ok) throw new Error('checkout failed');
    emu.startApiOutage({ mode: 'error', status: 503, duration_ms: LONG_OUTAGE_MS });
    const { gw, waits } = gateway({}, 2);
    const refund = await gw.createRefund(paid.value.razorpay_payment_id, {
      amount: 1000,
      idempotencyKey: 'key-0000000001',
    });
    expect(refund.ok).toBe(true);
    expect(waits).toHaveLength(2);
    expect(emu.ctx.state.refunds.size).toBe(1);
  });

  it('maps a hanging API to a timeout error', async () => {
    emu.startApiOutage({ mode: 'hang', status: 503, duration_ms: 10_000 });
    const { gw } = gateway({ timeoutMs: 100, retries: 0 });
    const result = await gw.fetchPlan('plan_00000000000000');
    emu.stopApiOutage();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(RazorpayTransportError);
    expect(result.error).toMatchObject({ reason: 'timeout' });
  });

  it('maps a refused connection to a network error (where the SDK throws a TypeError)', async () => {
    const { gw, waits } = gateway({ baseUrl: 'http://127.0.0.1:9', retries: 2, backoffMs: 1 });
    const result = await gw.fetchPayment('pay_00000000000000');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(RazorpayTransportError);
    expect(result.error).toMatchObject({ reason: 'network' });
    expect(waits).toHaveLength(2);
  });

  it('maps a body that is not Razorpay JSON to invalid_response', async () => {
    const html = await startReceiver(() => 200);
    try {
      const { gw } = gateway({ baseUrl: html.url.replace('/hook', ''), retries: 0 });
      const result = await gw.fetchOrder('order_00000000000000');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ reason: 'invalid_response' });
    } finally {
      await html.close();
    }
  });

  it('maps wrong keys to a 401 typed error', async () => {
    const { gw } = gateway({ keySecret: 'wrong' });
    const result = await gw.listPlans();
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({ statusCode: 401, description: 'Authentication failed' });
  });
});
