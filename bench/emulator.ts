import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEmulator } from '../src/emulator/create-emulator.ts';
import { runLoad } from './load.ts';

const KEYS = { keyId: 'rzp_test_BenchEmulat0r01', keySecret: 'bench_secret_0001' };
const AUTH = `Basic ${Buffer.from(`${KEYS.keyId}:${KEYS.keySecret}`).toString('base64')}`;

/** Fetches a subscription over loopback HTTP from `concurrency` keep-alive connections of a separate load process. */
async function fetchesPerSecond(durationMs = 3000, concurrency = 32): Promise<number> {
  const emu = createEmulator({ ...KEYS, clock: 1_750_000_000 });
  const server = await emu.listen(0);
  try {
    const result = emu.triggerScenario('subscription-activated');
    if (!result.ok) throw new Error('scenario failed');
    const measured = await runLoad({
      port: server.port,
      path: `/v1/subscriptions/${result.value.ids.subscription_id}`,
      method: 'GET',
      headers: { authorization: AUTH },
      connections: concurrency,
      durationMs,
    });
    return measured.perSecond;
  } finally {
    await emu.close();
  }
}

/** Emits events (3 per paid order) and times until a fast receiver has acknowledged every signed delivery. */
async function deliveriesPerSecond(orders = 1000, timeoutMs = 30_000): Promise<number> {
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.headers['x-razorpay-signature']) received += 1;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  const emu = createEmulator({
    ...KEYS,
    clock: 1_750_000_000,
    webhooks: [{ url: `http://127.0.0.1:${port}/hook`, secret: 'bench_webhook_secret' }],
  });
  try {
    const started = performance.now();
    for (let i = 0; i < orders; i++) {
      const order = await emu.app.request('/v1/orders', {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 10_000, currency: 'INR' }),
      });
      const { id } = (await order.json()) as { id: string };
      emu.completeCheckout({ order_id: id });
    }
    const expected = orders * 3;
    const deadline = performance.now() + timeoutMs;
    while (emu.deliveries().filter((d) => d.status === 'delivered').length < expected) {
      if (performance.now() > deadline) throw new Error(`only ${received} of ${expected} deliveries in time`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return expected / ((performance.now() - started) / 1000);
  } finally {
    await emu.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  }
}

/** Runs both emulator benchmarks on loopback; targets are ≥ 2,000 fetches/s and ≥ 500 deliveries/s. */
export async function runEmulatorBench(): Promise<Record<string, number>> {
  const fetches = await fetchesPerSecond();
  const deliveries = await deliveriesPerSecond();
  return {
    emulator_fetches_per_s: Math.round(fetches),
    emulator_webhook_deliveries_per_s: Math.round(deliveries),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const results = await runEmulatorBench();
  console.log(JSON.stringify(results, null, 2));
  const ok =
    (results.emulator_fetches_per_s ?? 0) >= 2000 && (results.emulator_webhook_deliveries_per_s ?? 0) >= 500;
  console.log(ok ? 'targets met (>= 2000 fetches/s, >= 500 deliveries/s)' : 'TARGETS MISSED');
  process.exitCode = ok ? 0 : 1;
}
