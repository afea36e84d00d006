import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth, startReceiver, TEST_KEYS } from '../../test/support/emulator.ts';
import { waitFor } from '../../test/support/wait.ts';
import { verifyWebhookSignature } from '../adapters/razorpay/signature.ts';
import { createEmulator, type Emulator } from './create-emulator.ts';

// biome-ignore lint/suspicious/noExplicitAny: test assertions read response JSON loosely
type Loose = Record<string, any>;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
function emulator(extra: Partial<Parameters<typeof createEmulator>[0]> = {}): Emulator {
  const emu = createEmulator({ ...TEST_KEYS, clock: 1_750_000_000, ...extra });
  cleanups.push(() => emu.close());
  return emu;
}
async function post(emu: Emulator, path: string, body: unknown) {
  const res = await emu.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Loose };
}

describe('scenarios', () => {
  it.each([
    ['subscription-activated', ['subscription.activated', 'subscription.charged']],
    ['renewal', ['subscription.charged']],
    ['renewal-failed-until-halted', ['subscription.pending', 'subscription.halted']],
    ['refund', ['refund.created', 'refund.processed']],
    ['payment-failed', ['payment.failed']],
  ])('%s makes real state and real signed webhooks', async (name, expected) => {
    const r = await startReceiver();
    cleanups.push(r.close);
    const emu = emulator({ webhooks: [{ url: r.url, secret: 'whsec_scenarios_1' }] });
    const res = await post(emu, `/_emulator/scenarios/${name}`, {});
    expect(res.status).toBe(200);
    const names = res.body.events.map((e: { event: string }) => e.event);
    for (const e of expected) expect(names).toContain(e);
    await waitFor(() => r.received.length === names.length, 2000, 'deliveries');
    for (const x of r.received)
      expect(
        verifyWebhookSignature(x.body, x.headers['x-razorpay-signature'] as string, ['whsec_scenarios_1']).ok,
      ).toBe(true);
    const ids = res.body.ids as Record<string, string>;
    if (ids.subscription_id) {
      const sub = await emu.app.request(`/v1/subscriptions/${ids.subscription_id}`, {
        headers: { authorization: basicAuth() },
      });
      const status = ((await sub.json()) as { status: string }).status;
      expect(status).toBe(name === 'renewal-failed-until-halted' ? 'halted' : 'active');
    }
  });

  it('refuses an unknown scenario or override before anything happens', async () => {
    const emu = emulator();
    const unknown = await post(emu, '/_emulator/scenarios/explode', {});
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.description).toMatch(/Unknown scenario explode/);
    const badOverride = await post(emu, '/_emulator/scenarios/renewal', { colour: 'red' });
    expect(badOverride.body.error.description).toMatch(/unknown override colour/);
    const badValue = emu.triggerScenario('refund', { amount: 1000, refund_amount: 5000 });
    expect(badValue.ok).toBe(false);
    expect(emu.events()).toHaveLength(0);
    expect(emu.ctx.state.plans.size + emu.ctx.state.orders.size).toBe(0);
  });

  it('renewal runs the requested number of cycles', () => {
    const emu = emulator();
    const result = emu.triggerScenario('renewal', { cycles: 3, total_count: 12 });
    if (!result.ok) throw new Error(result.error.body.error.description);
    expect(result.value.events.filter((e) => e.event === 'subscription.charged')).toHaveLength(4);
  });
});

describe('state persistence and reset', () => {
  it('keeps subscriptions and the test clock across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const statePath = join(dir, 'state.json');
    const first = createEmulator({ ...TEST_KEYS, clock: 1_750_000_000, statePath });
    const result = first.triggerScenario('subscription-activated');
    if (!result.ok) throw new Error('scenario failed');
    first.advanceClock(86_400);
    await first.close();
    const second = emulator({ clock: 1_750_000_000, statePath });
    expect(second.now()).toBe(1_750_086_400);
    const res = await second.app.request(`/v1/subscriptions/${result.value.ids.subscription_id}`, {
      headers: { authorization: basicAuth() },
    });
    expect(((await res.json()) as { status: string }).status).toBe('active');
    second.advanceClock(40 * 86_400);
    expect(second.ctx.state.subscriptions.get(result.value.ids.subscription_id!)!.paid_count).toBe(2);
  });

  it('reset forgets everything but keeps startup webhooks', async () => {
    const emu = emulator({ webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: 'x_secret_1' }] });
    emu.setWebhookFaults({ drop: 1 });
    emu.triggerScenario('refund');
    emu.advanceClock(100);
    const res = await post(emu, '/_emulator/reset', {});
    expect(res.body.now).toBe(1_750_000_000);
    expect(emu.ctx.state.payments.size + emu.events().length + emu.deliveries().length).toBe(0);
    expect(emu.ctx.state.webhooks.size).toBe(1);
    const faults = await (await emu.app.request('/_emulator/faults')).json();
    expect((faults as { webhooks: { drop: number } }).webhooks.drop).toBe(0);
  });
});

describe('checkout script and page', () => {
  it('serves a checkout.js-compatible script without auth', async () => {
    const emu = emulator();
    const res = await emu.app.request('/v1/checkout.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const js = await res.text();
    for (const part of ['window.Razorpay', 'prototype.open', "'payment.failed'", 'ondismiss', 'handler'])
      expect(js).toContain(part);
  });

  it('serves the payment page for a subscription with the three instruments, and refuses a wrong key', async () => {
    const emu = emulator();
    const result = emu.triggerScenario('payment-failed');
    if (!result.ok) throw new Error('scenario failed');
    const page = await emu.app.request(
      `/v1/checkout/pay?key=${TEST_KEYS.keyId}&order_id=${result.value.ids.order_id}`,
    );
    const html = await page.text();
    expect(page.status).toBe(200);
    for (const i of ['card_success', 'card_failure', 'upi_success']) expect(html).toContain(`data-i="${i}"`);
    expect(html).toContain('₹1599.00');
    const wrong = await emu.app.request(
      `/v1/checkout/pay?key=rzp_test_wrong&order_id=${result.value.ids.order_id}`,
    );
    expect(wrong.status).toBe(400);
  });
});
