import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
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
    expect(result).toEqual({ ok: true, value: { claimed: 3, processed: 2, retried: 0, failed: 1 } });
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
    expect(again).toEqual({ ok: true, value: { claimed: 2, processed: 2, retried: 0, failed: 0 } });
    expect(await get().db.selectFrom('payments').selectAll().execute()).toEqual([payment]);
  });
});
