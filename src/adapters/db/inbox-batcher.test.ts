import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createKysely } from './connection.ts';
import { InboxBatcher } from './inbox-batcher.ts';

const row = (eventId: string) => ({
  event_id: eventId,
  event_type: 'payment.captured',
  payload: `{"id":"${eventId}"}`,
});

describeEachBackend('InboxBatcher', { migrated: true }, (get) => {
  it('stores concurrent deliveries once each and reports every duplicate, within and across batches', async () => {
    const batcher = new InboxBatcher(get().db);
    const ids = Array.from({ length: 60 }, (_, i) => `Ev${String(i).padStart(12, '0')}`);
    const deliveries = [...ids, ...ids, ...ids.slice(0, 10)];
    const results = await Promise.all(deliveries.map((id) => batcher.insert(row(id))));
    expect(results.filter(Boolean)).toHaveLength(60);
    const firstOf = new Map<string, number>();
    deliveries.forEach((id, i) => {
      if (!firstOf.has(id)) firstOf.set(id, i);
    });
    results.forEach((inserted, i) => {
      expect(inserted, `delivery ${i}`).toBe(firstOf.get(deliveries[i]!) === i);
    });
    const stored = await get().db.selectFrom('razorpay_webhook_events').select('event_id').execute();
    expect(stored.map((r) => r.event_id).sort()).toEqual([...ids].sort());
    expect(await batcher.insert(row(ids[0]!))).toBe(false);
  });

  it('rejects every waiter of a batch the database refuses, and stores none of it', async () => {
    const handle = createKysely(get().url.replace(/:(\d+)\//, ':1/'), { max: 1 });
    const broken = new InboxBatcher(handle.db);
    const outcomes = await Promise.allSettled([
      broken.insert(row('Broken00000001')),
      broken.insert(row('Broken00000002')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await handle.db.destroy();
    const stored = await get()
      .db.selectFrom('razorpay_webhook_events')
      .select('event_id')
      .where('event_id', 'like', 'Broken%')
      .execute();
    expect(stored).toEqual([]);
  });

  it('isolates a row the database cannot hold: its waiter alone is refused (bad_request), the rest of its batch is stored', async () => {
    const batcher = new InboxBatcher(get().db);
    const good = Array.from({ length: 30 }, (_, i) => `Mixed${String(i).padStart(9, '0')}`);
    const poisoned = { ...row('MixedPoisoned1'), account_id: 'acc_\u0000nul' };
    const outcomes = await Promise.allSettled([
      ...good.slice(0, 15).map((id) => batcher.insert(row(id))),
      batcher.insert(poisoned),
      batcher.insert(poisoned),
      ...good.slice(15).map((id) => batcher.insert(row(id))),
    ]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'bad_request' });
      expect(String((r as PromiseRejectedResult).reason.message)).toMatch(/cannot be stored/);
    }
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === true)).toHaveLength(30);
    const stored = await get()
      .db.selectFrom('razorpay_webhook_events')
      .select('event_id')
      .where('event_id', 'like', 'Mixed%')
      .execute();
    expect(stored.map((r) => r.event_id).sort()).toEqual([...good].sort());
  });
});
