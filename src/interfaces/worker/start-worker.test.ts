import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import {
  describeEachBackend,
  migrateTestDatabase,
  openTestDatabase,
  type TestDatabase,
} from '../../../test/support/databases.ts';
import { listenForInbox } from '../../adapters/db/inbox-listener.ts';
import { startWorker } from './start-worker.ts';

const event = (id: string) => ({
  event_id: id,
  event_type: 'subscription.activated',
  payload: '{"entity":"event","event":"subscription.activated","payload":{},"created_at":1}',
});

describeEachBackend('startWorker', { migrated: true }, (get) => {
  const attempts = async (id: string) =>
    (
      await get()
        .db.selectFrom('razorpay_webhook_events')
        .select('attempts')
        .where('event_id', '=', id)
        .executeTakeFirstOrThrow()
    ).attempts;
  const waitFor = async (check: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  };

  it('polls: an event stored while idle is claimed within the poll interval, and stop() ends the loops', async () => {
    const t = await createTestContext(get());
    const worker = startWorker({ ctx: t.ctx, pollMs: 50, processing: { backoffMs: 60_000 } });
    await t.ctx.repos.inbox.insertEvent(event('PollWake000001'));
    expect(await waitFor(async () => (await attempts('PollWake000001')) >= 1, 5_000)).toBe(true);
    await worker.stop();
    await t.close();
  });
});

describe('startWorker on PostgreSQL', () => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await migrateTestDatabase(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a stored event wakes an idle worker at once (LISTEN/NOTIFY), long before its poll interval', async () => {
    const db = database!;
    const t = await createTestContext(db);
    const listener = await listenForInbox(db.url, { lost: () => {}, restored: () => {} });
    const worker = startWorker({
      ctx: t.ctx,
      pollMs: 120_000,
      wake: listener.subscribe,
      processing: { backoffMs: 60_000 },
    });
    await new Promise((r) => setTimeout(r, 200)); // the first, empty pass goes idle
    await t.ctx.repos.inbox.insertEvent(event('NotifyWake0001'));
    const claimed = async () =>
      (
        await db.db
          .selectFrom('razorpay_webhook_events')
          .select('attempts')
          .where('event_id', '=', 'NotifyWake0001')
          .executeTakeFirstOrThrow()
      ).attempts >= 1;
    const deadline = Date.now() + 5_000;
    while (!(await claimed()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(await claimed()).toBe(true);
    await worker.stop();
    await listener.close();
    await t.close();
  });
});
