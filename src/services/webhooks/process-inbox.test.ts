import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createUser } from '../../../test/support/seed.ts';
import { createNavigatorPlan } from '../../../test/webhook-fixtures.ts';
import { processInbox } from './process-inbox.ts';

describeEachBackend('processInbox', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });

  const status = async (eventId: string) =>
    get()
      .db.selectFrom('razorpay_webhook_events')
      .select(['processing_status', 'attempts', 'error_message'])
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();

  it('applies a clean batch in one go, and a batch with a bad event one by one: the good ones land, the bad one alone fails', async () => {
    const order = await t.ctx.gateway.createOrder({ amount: 50_000, currency: 'INR' });
    if (!order.ok) throw order.error;
    expect(t.emulator.completeCheckout({ order_id: order.value.id, instrument: 'card_success' }).ok).toBe(
      true,
    );
    const real = t.emulator.events().filter((e) => e.event.startsWith('payment.'));
    expect(real.map((e) => e.event).sort()).toEqual(['payment.authorized', 'payment.captured']);
    const bad = {
      id: 'BadPayload0001',
      event: 'payment.captured',
      body: '{"entity":"event","account_id":"acc_x","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"nope"}}},"created_at":1}',
    };
    for (const e of [...real, bad]) {
      await t.ctx.repos.inbox.insertEvent({ event_id: e.id, event_type: e.event, payload: e.body });
    }
    const result = await processInbox({ ctx: t.ctx, input: { backoffMs: 60_000 } });
    expect(result).toEqual({ claimed: 3, processed: 2, retried: 0, failed: 1, skipped: 0 });
    for (const e of real)
      expect(await status(e.id)).toMatchObject({ processing_status: 'processed', attempts: 1 });
    expect(await status(bad.id)).toMatchObject({ processing_status: 'failed', attempts: 1 });
    expect((await status(bad.id)).error_message).toMatch(/^bad_request: /);
    const payment = await get().db.selectFrom('payments').selectAll().executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ status: 'captured', amount: 50_000, razorpay_order_id: order.value.id });

    // The same events again (a replay) change nothing and all succeed as one batch.
    await get()
      .db.updateTable('razorpay_webhook_events')
      .set({ processing_status: 'pending', next_attempt_at: new Date(0) })
      .where(
        'event_id',
        'in',
        real.map((e) => e.id),
      )
      .execute();
    const again = await processInbox({ ctx: t.ctx, input: { backoffMs: 60_000 } });
    expect(again).toEqual({ claimed: 2, processed: 2, retried: 0, failed: 0, skipped: 0 });
    expect(await get().db.selectFrom('payments').selectAll().execute()).toEqual([payment]);
  });

  it('keeps its claim while it works past the lease (renewing it), so no other worker takes the event', async () => {
    const userId = await createUser(get().db, 'slow-fetch@example.com');
    const planId = await createNavigatorPlan(t.ctx);
    const from = t.emulator.events().length;
    const sub = await t.ctx.gateway.createSubscription({
      planId,
      totalCount: 12,
      notes: { polaris_user_id: userId, polaris_tier: 'navigator', polaris_cycle: 'monthly' },
    });
    if (!sub.ok) throw sub.error;
    t.emulator.completeCheckout({ subscription_id: sub.value.id, instrument: 'card_success' });
    const activated = t.emulator
      .events()
      .slice(from)
      .find((e) => e.event === 'subscription.activated')!;
    await t.ctx.repos.inbox.insertEvent({
      event_id: 'SlowFetch00001',
      event_type: activated.event,
      payload: activated.body,
    });
    // Razorpay hangs for three lease lengths; the fetch of the subscription waits it out.
    t.emulator.startApiOutage({ mode: 'hang', status: 503, duration_ms: 3_000 });
    let done = false;
    const slow = processInbox({ ctx: t.ctx, input: { leaseSeconds: 1, backoffMs: 60_000 } }).finally(() => {
      done = true;
    });
    const rivalClaims: number[] = [];
    while (!done) {
      const rival = await processInbox({ ctx: t.ctx, input: { leaseSeconds: 1, backoffMs: 60_000 } });
      rivalClaims.push(rival.claimed);
      await new Promise((r) => setTimeout(r, 100));
    }
    t.emulator.stopApiOutage();
    expect(await slow).toMatchObject({ claimed: 1 });
    expect(rivalClaims.every((n) => n === 0)).toBe(true);
    expect((await status('SlowFetch00001')).attempts).toBe(1);
  });
});
