import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely, type KyselyHandle } from '../../src/adapters/db/connection.ts';
import { findFreePort } from '../../src/adapters/db/port-probe.ts';
import { createHttpGateway } from '../../src/adapters/razorpay/http-gateway.ts';
import { createEmulator, type Emulator } from '../../src/emulator/create-emulator.ts';
import { startServer } from '../support/cli.ts';
import { TEST_KEYS } from '../support/context.ts';
import { type PostgresServer, startPostgres } from '../support/postgres-server.ts';
import { createUser } from '../support/seed.ts';
import { waitFor } from '../support/wait.ts';

const USERS = 40;
const DAY = 86_400;

describe('kill -9 of polaris start during a webhook storm (PostgreSQL, real emulator events)', () => {
  let pg: PostgresServer;
  let dataDir: string;
  let port: number;
  let emulator: Emulator;
  let emulatorUrl: string;
  let env: Record<string, string>;
  let check: KyselyHandle;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;

  beforeAll(async () => {
    pg = await startPostgres({ durable: true });
    dataDir = mkdtempSync(join(tmpdir(), 'polaris-kill-'));
    port = await findFreePort();
    emulator = createEmulator({
      keyId: TEST_KEYS.keyId,
      keySecret: TEST_KEYS.keySecret,
      clock: 1_780_000_000,
      webhookTimeScale: 100,
      webhooks: [{ url: `http://127.0.0.1:${port}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret }],
    });
    emulatorUrl = (await emulator.listen(0)).url;
    env = {
      DATABASE_URL: pg.url,
      POLARIS_DATA_DIR: dataDir,
      RAZORPAY_API_URL: emulatorUrl,
      RAZORPAY_KEY_ID: TEST_KEYS.keyId,
      RAZORPAY_KEY_SECRET: TEST_KEYS.keySecret,
      RAZORPAY_WEBHOOK_SECRET: TEST_KEYS.webhookSecret,
    };
    server = await startServer(env, port, 120_000);
    check = createKysely(pg.url, { max: 2 });
  }, 180_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await emulator?.close();
    await check?.db.destroy();
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged event, applies each exactly once, and ends with no drift from Razorpay', async () => {
    const rzp = createHttpGateway({
      baseUrl: emulatorUrl,
      keyId: TEST_KEYS.keyId,
      keySecret: TEST_KEYS.keySecret,
    });
    const plan = await rzp.createPlan({
      period: 'monthly',
      interval: 1,
      item: { name: 'Navigator monthly', amount: 349_900, currency: 'INR' },
      notes: { polaris_tier: 'navigator', polaris_cycle: 'monthly' },
    });
    if (!plan.ok) throw plan.error;
    const subs: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const userId = await createUser(check.db, `kill-${i}@example.com`);
      const sub = await rzp.createSubscription({
        planId: plan.value.id,
        totalCount: 12,
        notes: { polaris_user_id: userId, polaris_tier: 'navigator', polaris_cycle: 'monthly' },
      });
      if (!sub.ok) throw sub.error;
      subs.push(sub.value.id);
      if (i % 4 === 1) emulator.failNextCharges(sub.value.id, 4);
      emulator.completeCheckout({ subscription_id: sub.value.id, instrument: 'card_success' });
    }
    // Renewals while deliveries are in flight; the server dies in the middle of them.
    emulator.advanceClock(31 * DAY);
    await waitFor(async () => (await inboxCount()) >= 50, 60_000, 'the storm reaching the server');
    server!.child.kill('SIGKILL');
    await server!.exited;
    for (let d = 0; d < 4; d++) emulator.advanceClock(DAY);
    emulator.advanceClock(31 * DAY);
    server = await startServer(env, port, 120_000);

    // Razorpay retries what the dead process never answered; a dead worker's claims expire in 30 s.
    await waitFor(() => emulator.pendingDeliveries() === 0, 120_000, 'every delivery answered 200');
    await waitFor(
      async () =>
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM razorpay_webhook_events
            WHERE processing_status IN ('pending', 'processing')`.execute(check.db)
        ).rows[0]?.n === 0,
      90_000,
      'the inbox drained',
    );

    const emitted = emulator.events();
    const delivered = emulator.deliveries().filter((d) => d.status === 'delivered');
    expect(delivered.length).toBe(emitted.length);
    // The kill really cut deliveries off: Razorpay had to retry some.
    const retried = delivered.filter((d) => d.attempts.length > 1).length;
    expect(retried).toBeGreaterThan(0);
    console.info(`kill storm: ${emitted.length} events, ${retried} delivered only after a retry`);
    const inbox = await check.db
      .selectFrom('razorpay_webhook_events')
      .select(['event_id', 'processing_status'])
      .execute();
    expect(inbox.map((r) => r.event_id).sort()).toEqual(emitted.map((e) => e.id).sort());
    expect(inbox.filter((r) => r.processing_status === 'failed')).toEqual([]);

    // No drift: every subscription and payment reads as Razorpay has it.
    const ours = await check.db
      .selectFrom('subscriptions')
      .select(['razorpay_subscription_id', 'status', 'paid_count'])
      .execute();
    const theirs = subs.map((id) => {
      const s = emulator.ctx.state.subscriptions.get(id)!;
      return { razorpay_subscription_id: id, status: s.status, paid_count: s.paid_count };
    });
    expect(ours.sort(byId)).toEqual(theirs.sort(byId));
    const payments = await check.db
      .selectFrom('payments')
      .select(['razorpay_payment_id', 'status'])
      .execute();
    const rzpPayments = [...emulator.ctx.state.payments.values()].map((p) => ({
      razorpay_payment_id: p.id,
      status: p.status,
    }));
    expect(payments.sort(byPayment)).toEqual(rzpPayments.sort(byPayment));
    expect(new Set(theirs.map((s) => s.status))).toEqual(new Set(['active', 'halted']));
  }, 600_000);

  async function inboxCount(): Promise<number> {
    const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM razorpay_webhook_events`.execute(
      check.db,
    );
    return row.rows[0]?.n ?? 0;
  }
});

const byId = (
  a: { razorpay_subscription_id: string | null },
  b: { razorpay_subscription_id: string | null },
) => (a.razorpay_subscription_id ?? '').localeCompare(b.razorpay_subscription_id ?? '');
const byPayment = (a: { razorpay_payment_id: string }, b: { razorpay_payment_id: string }) =>
  a.razorpay_payment_id.localeCompare(b.razorpay_payment_id);
