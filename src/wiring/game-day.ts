import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { Migrator } from '../adapters/db/migrator.ts';
import { syncPlanCatalog } from '../adapters/db/plan-catalog.ts';
import { createHttpProbe } from '../adapters/http-probe.ts';
import { createLogger } from '../adapters/logger.ts';
import { PLANS } from '../domain/plans.ts';
import { evaluateAlerts } from '../services/alerts/evaluate-alerts.ts';
import type { ServiceContext } from '../services/context.ts';
import { runEscalations } from '../services/escalation/run-escalations.ts';
import type { GameDayLab, GameDaySeams } from '../services/game-day/game-day-types.ts';
import { assembleContext } from './context.ts';
import { composeProductApp } from './http.ts';
import { restorationSeams } from './restore-check.ts';

/** The real alert rules and escalation ladder the game day drives in its scratch world. */
export const gameDaySeams: GameDaySeams = {
  evaluateAlerts: ({ ctx }) => evaluateAlerts({ ctx }),
  runEscalations: ({ ctx, input }) => runEscalations({ ctx, input }),
};

/** A scratch world for `polaris drill incident`, and how to tear it down. */
export type GameDayWorld = { ctx: ServiceContext; lab: GameDayLab; close: () => Promise<void> };

const KEY_ID = 'rzp_test_GameDay0000001';

/**
 * Builds the game day's world beside the live database, never in it: a scratch database of the
 * same engine (migrated), an in-process emulator on a frozen clock starting now, and a Polaris
 * instance over both served on loopback, which receives the emulator's signed webhooks.
 */
export async function openGameDayWorld(live: ServiceContext): Promise<GameDayWorld> {
  const scratch = await live.backups.scratch();
  const closers: (() => Promise<void>)[] = [() => scratch.drop()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const migrated = await new Migrator(scratch.db).migrate({ actor: 'game-day' });
    if (!migrated.ok) throw migrated.error;
    await syncPlanCatalog(scratch.db, PLANS);
    const keySecret = randomBytes(18).toString('base64url');
    const webhookSecret = randomBytes(18).toString('base64url');
    const { createEmulator } = await import('../emulator/create-emulator.ts');
    const emulator = createEmulator({
      keyId: KEY_ID,
      keySecret,
      clock: Math.floor(live.now().getTime() / 1000),
      webhookTimeScale: 1000,
    });
    closers.push(() => emulator.close());
    const emulatorServer = await emulator.listen(0);
    // The app is bound after the server listens: its base URL names the port.
    let app: Hono | undefined;
    const server = createAdaptorServer({ fetch: (req: Request) => (app as Hono).fetch(req) }) as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const log = createLogger('error');
    const ctx = assembleContext({
      db: scratch.db,
      url: scratch.url,
      kind: scratch.engine === 'pglite' ? 'embedded' : 'postgres',
      gateway: { baseUrl: emulatorServer.url, keyId: KEY_ID, keySecret, retries: 1, backoffMs: 5 },
      auth: {
        db: scratch.db,
        secret: randomBytes(32).toString('base64url'),
        baseUrl: url,
        rateLimit: { signIn: { max: 10_000, windowSeconds: 1 }, signUp: { max: 10_000, windowSeconds: 1 } },
      },
      settings: {
        env: 'test',
        publicBaseUrl: url,
        razorpayKeyId: KEY_ID,
        razorpayKeySecret: keySecret,
        webhookSecrets: [webhookSecret],
        checkoutScriptUrl: `${emulatorServer.url}/v1/checkout.js`,
        paymentsEnabled: true,
      },
      log,
      policy: live.policy,
      now: () => new Date(emulator.now() * 1000),
    });
    app = composeProductApp(ctx, { log, cronSecret: undefined }).app as unknown as Hono;
    const added = emulator.addWebhook({ url: `${url}/api/webhooks/razorpay`, secret: webhookSecret });
    if (!added.ok) throw new Error('the emulator refused the scratch webhook endpoint');
    const lab: GameDayLab = {
      failNextCharges: (id, count) => {
        emulator.failNextCharges(id, count);
      },
      advanceClock: (seconds) => {
        emulator.advanceClock(seconds);
      },
      completeCheckout: async (id) => {
        const paid = emulator.completeCheckout({ subscription_id: id, instrument: 'card_success' });
        if (!paid.ok) throw new Error(`checkout of ${id} failed on the emulator`);
      },
      deliveriesSettled: async () => {
        const deadline = Date.now() + 30_000;
        while (emulator.pendingDeliveries() > 0) {
          if (Date.now() > deadline) throw new Error('webhook deliveries did not settle within 30 s');
          await sleep(10);
        }
      },
      url,
      probe: createHttpProbe(url),
      smoke: {
        http: createHttpProbe(url),
        now: () => new Date(),
        elapsedMs: () => performance.now(),
        sleep: (ms) => sleep(ms),
      },
      restorationSeams,
    };
    return { ctx, lab, close };
  } catch (error) {
    await close();
    throw error;
  }
}
