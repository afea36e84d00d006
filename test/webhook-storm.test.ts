import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../src/interfaces/worker/start-worker.ts';
import { processInbox } from '../src/services/webhooks/process-inbox.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { describeEachBackend, type TestDatabase } from './support/databases.ts';
import { createUser } from './support/seed.ts';
import { waitFor } from './support/wait.ts';
import {
  createNavigatorPlan,
  emulatorControl,
  postWebhook,
  signed,
  subscribeAndPay,
  webhookApp,
} from './webhook-fixtures.ts';

const USERS = 200;
const DAY = 86_400;

/** Billing tables with our own uuids and wall-clock stamps replaced by Razorpay ids and emails. */
async function canonicalDump(db: TestDatabase['db']) {
  const subs = await sql<Record<string, unknown>>`
    SELECT u.email, s.razorpay_subscription_id, s.razorpay_plan_id, s.razorpay_customer_id, s.subscription_tier,
      s.billing_cycle, s.seats, s.plan_amount, s.currency, s.status, s.current_start, s.current_end, s.charge_at,
      s.start_at, s.ended_at, s.total_count, s.paid_count, s.remaining_count, s.auth_attempts,
      s.cancel_at_cycle_end, s.cancelled_at, s.last_event_at, s.notes
    FROM subscriptions s JOIN user_profiles u USING (user_id) ORDER BY s.razorpay_subscription_id`.execute(
    db,
  );
  const pays = await sql<Record<string, unknown>>`
    SELECT p.razorpay_payment_id, s.razorpay_subscription_id, u.email, p.razorpay_order_id, p.razorpay_invoice_id,
      p.amount, p.currency, p.status, p.method, p.error_code, p.error_description, p.error_source, p.error_step,
      p.error_reason, p.error_message, p.amount_refunded, p.refund_status, p.refunded_at, p.captured_at, p.failed_at,
      p.billing_period_start, p.billing_period_end, p.last_event_at, p.created_at
    FROM payments p LEFT JOIN subscriptions s USING (subscription_id) LEFT JOIN user_profiles u ON u.user_id = p.user_id
    ORDER BY p.razorpay_payment_id`.execute(db);
  const users = await sql<Record<string, unknown>>`
    SELECT u.email, u.subscription_tier, s.razorpay_subscription_id, u.blueprint_creation_count,
      u.blueprint_saving_count, u.usage_period_start, u.usage_period_end
    FROM user_profiles u LEFT JOIN subscriptions s ON s.subscription_id = u.subscription_id ORDER BY u.email`.execute(
    db,
  );
  const refunds = await sql<Record<string, unknown>>`
    SELECT r.razorpay_refund_id, p.razorpay_payment_id, r.razorpay_payment_id AS refund_payment, r.amount,
      r.currency, r.status, r.speed_processed, r.last_event_at, r.created_at
    FROM refunds r JOIN payments p USING (payment_id) ORDER BY r.razorpay_refund_id`.execute(db);
  const inbox = await sql<Record<string, unknown>>`
    SELECT event_id, event_type, processing_status, error_message FROM razorpay_webhook_events ORDER BY event_id`.execute(
    db,
  );
  return {
    subscriptions: subs.rows,
    payments: pays.rows,
    refunds: refunds.rows,
    users: users.rows,
    inbox: inbox.rows,
  };
}

async function wipeBilling(db: TestDatabase['db']) {
  await sql`UPDATE user_profiles SET subscription_id = NULL, subscription_tier = 'free',
    blueprint_creation_count = 0, blueprint_saving_count = 0, usage_period_start = NULL, usage_period_end = NULL`.execute(
    db,
  );
  await sql`DELETE FROM payments`.execute(db);
  await sql`DELETE FROM subscriptions`.execute(db);
  await sql`DELETE FROM razorpay_webhook_events`.execute(db);
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describeEachBackend('webhook storm', { migrated: true }, (get) => {
  let h: Awaited<ReturnType<typeof createTestContext>>;
  let events: { id: string; body: string; event: string }[] = [];

  beforeAll(async () => {
    h = await createTestContext(get());
    const planId = await createNavigatorPlan(h.ctx);
    const subs: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const userId = await createUser(get().db, `storm-${String(i).padStart(3, '0')}@example.com`);
      subs.push(await subscribeAndPay(h, userId, planId));
    }
    for (const [i, sub] of subs.entries()) {
      if (i % 5 === 1) await h.ctx.gateway.cancelSubscription(sub);
      if (i % 5 === 2) await emulatorControl(h, `/_emulator/subscriptions/${sub}/fail-charges`, { count: 4 });
      if (i % 5 === 4) await emulatorControl(h, `/_emulator/subscriptions/${sub}/fail-charges`, { count: 1 });
    }
    await emulatorControl(h, '/_emulator/clock/advance', { seconds: 31 * DAY });
    for (let d = 0; d < 4; d++) await emulatorControl(h, '/_emulator/clock/advance', { seconds: DAY });
    for (const [i, sub] of subs.entries()) {
      if (i % 5 !== 3) continue;
      const invoices = await h.ctx.gateway.listInvoices(sub);
      const paymentId = invoices.ok ? invoices.value.items.find((inv) => inv.payment_id)?.payment_id : null;
      if (!paymentId) continue;
      // Every other one: a refund that fails first, then one that goes through.
      if (i % 10 === 8)
        await emulatorControl(h, `/_emulator/payments/${paymentId}/fail-refunds`, { count: 1 });
      await h.ctx.gateway.createRefund(paymentId, { amount: 100_000 });
      if (i % 10 === 8) await h.ctx.gateway.createRefund(paymentId, { amount: 50_000 });
    }
    events = h.emulator.events().map((e) => ({ id: e.id, body: e.body, event: e.event }));
  }, 300_000);
  afterAll(async () => {
    await h.close();
  });

  it('draws at least 2,000 real emulator events covering the lifecycle', () => {
    expect(events.length).toBeGreaterThanOrEqual(2_000);
    const types = new Set(events.map((e) => e.event));
    for (const t of [
      'subscription.charged',
      'subscription.halted',
      'subscription.cancelled',
      'refund.processed',
      'refund.failed',
      'payment.failed',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('3 shuffled deliveries of each event through 3 workers give the same tables as one ordered delivery', async () => {
    const app = webhookApp(h.ctx);
    for (const e of events) {
      const d = signed(e, TEST_KEYS.webhookSecret);
      expect((await postWebhook(app, d.body, d.headers)).status).toBe(200);
    }
    for (;;) {
      const pass = await processInbox({ ctx: h.ctx, input: { limit: 100, backoffMs: 0 } });
      if (pass.claimed === 0) break;
    }
    const ordered = await canonicalDump(get().db);
    expect(ordered.inbox.every((r) => r.processing_status === 'processed')).toBe(true);
    expect(ordered.subscriptions).toHaveLength(USERS);
    const statuses = new Set(ordered.subscriptions.map((r) => r.status));
    for (const st of ['active', 'halted', 'cancelled']) expect(statuses).toContain(st);
    expect(ordered.payments.some((p) => p.refund_status === 'partial')).toBe(true);
    expect(new Set(ordered.refunds.map((r) => r.status))).toEqual(new Set(['processed', 'failed']));
    expect(ordered.payments.some((p) => p.status === 'failed' && p.error_message)).toBe(true);
    expect(ordered.payments.every((p) => p.razorpay_subscription_id !== null)).toBe(true);

    await wipeBilling(get().db);
    const worker = startWorker({
      ctx: h.ctx,
      concurrency: 3,
      pollMs: 20,
      processing: { limit: 20, backoffMs: 10 },
    });
    const deliveries = shuffle([...events, ...events, ...events], 42);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < deliveries.length) {
          const d = signed(deliveries[next++]!, TEST_KEYS.webhookSecret);
          expect((await postWebhook(app, d.body, d.headers)).status).toBe(200);
        }
      }),
    );
    const due = async () =>
      Number(
        (
          await sql<{ n: string }>`SELECT count(*) AS n FROM razorpay_webhook_events
            WHERE processing_status IN ('pending', 'processing')`.execute(get().db)
        ).rows[0]!.n,
      );
    await waitFor(async () => (await due()) === 0, 300_000, 'the workers to drain the inbox');
    await worker.stop();
    const stormed = await canonicalDump(get().db);
    expect(stormed.inbox).toHaveLength(events.length);
    if (process.env.STORM_DEBUG) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`/tmp/storm-ordered-${get().backend}.json`, JSON.stringify(ordered, null, 1));
      writeFileSync(`/tmp/storm-stormed-${get().backend}.json`, JSON.stringify(stormed, null, 1));
    }
    expect(stormed).toEqual(ordered);
  }, 600_000);
});
