import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, createTestContext } from '../../../test/support/context.ts';
import {
  describeEachBackend,
  migrateTestDatabase,
  openTestDatabase,
  type TestDatabase,
} from '../../../test/support/databases.ts';
import { startPostgres } from '../../../test/support/postgres-server.ts';
import { waitFor as waitUntil } from '../../../test/support/wait.ts';
import { createKysely } from '../../adapters/db/connection.ts';
import { listenForInbox } from '../../adapters/db/inbox-listener.ts';
import { Migrator } from '../../adapters/db/migrator.ts';
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

describe('startWorker while the database is down', () => {
  it('says once that processing paused, backs off instead of retrying every poll, and says when it resumed', async () => {
    const pg = await startPostgres();
    const database = createKysely(pg.url, { max: 2 });
    const migrated = await new Migrator(database.db).migrate();
    if (!migrated.ok) throw migrated.error;
    const t = await createTestContext({
      ...database,
      url: pg.url,
      backend: 'postgres',
      close: async () => {},
    });
    const { log, lines } = captureLogger('debug');
    const worker = startWorker({ ctx: { ...t.ctx, log }, concurrency: 1, pollMs: 20 });
    const logged = (msg: string) =>
      lines.map((l) => JSON.parse(l) as { msg: string; time: string }).filter((l) => l.msg === msg);
    try {
      await pg.halt('fast');
      await waitUntil(
        () => logged('inbox processing still failing').length >= 3,
        30_000,
        'four failed passes',
      );
      expect(logged('inbox processing paused; retrying with backoff')).toHaveLength(1);
      // Waits of 40, 80 and 160 ms between the first and the fourth failed pass (20 ms each without backoff).
      const first = Date.parse(logged('inbox processing paused; retrying with backoff')[0]!.time);
      const fourth = Date.parse(logged('inbox processing still failing')[2]!.time);
      expect(fourth - first).toBeGreaterThanOrEqual(280);
      await pg.resume();
      await waitUntil(() => logged('inbox processing resumed').length === 1, 60_000, 'resumed');
    } finally {
      await worker.stop();
      await t.close();
      await database.db.destroy();
      pg.stop();
    }
  }, 120_000);
});
