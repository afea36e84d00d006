import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, createTestContext } from '../../../test/support/context.ts';
import {
  describeEachBackend,
  migrateTestDatabase,
  openTestDatabase,
  type TestDatabase,
} from '../../../test/support/databases.ts';
import { startPostgres } from '../../../test/support/postgres-server.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createKysely } from '../../adapters/db/connection.ts';
import { listenForInbox } from '../../adapters/db/inbox-listener.ts';
import { Migrator } from '../../adapters/db/migrator.ts';
import type { ServiceContext } from '../../services/context.ts';
import { setFlag } from '../../services/flags/set-flag.ts';
import { startWorker } from './start-worker.ts';

const event = (id: string) => ({
  event_id: id,
  event_type: 'subscription.activated',
  payload: '{"entity":"event","event":"subscription.activated","payload":{},"created_at":1}',
});

/** The context with a count of the claims that found nothing: after one, that loop sleeps until woken or polled. */
function countingEmptyClaims(ctx: ServiceContext) {
  const counter = { ctx, empty: 0 };
  const inbox = ctx.repos.inbox;
  const claimDue: typeof inbox.claimDue = async (...args) => {
    const events = await inbox.claimDue(...args);
    if (events.length === 0) counter.empty += 1;
    return events;
  };
  counter.ctx = { ...ctx, repos: { ...ctx.repos, inbox: { ...inbox, claimDue } } };
  return counter;
}

describeEachBackend('startWorker', { migrated: true }, (get) => {
  const attempts = async (id: string) =>
    (
      await get()
        .db.selectFrom('razorpay_webhook_events')
        .select('attempts')
        .where('event_id', '=', id)
        .executeTakeFirstOrThrow()
    ).attempts;

  it('polls: an event stored while idle is claimed within the poll interval, and stop() ends the loops', async () => {
    const t = await createTestContext(get());
    const claims = countingEmptyClaims(t.ctx);
    const worker = startWorker({
      ctx: claims.ctx,
      concurrency: 1,
      pollMs: 50,
      processing: { backoffMs: 60_000 },
    });
    await waitFor(() => claims.empty >= 1, 5_000, 'the first, empty pass');
    await t.ctx.repos.inbox.insertEvent(event('PollWake000001'));
    await waitFor(async () => (await attempts('PollWake000001')) >= 1, 5_000, 'the polled claim');
    await worker.stop();
    await t.close();
  });

  it('in read-only it says once that processing is held, claims nothing, and applies events once lifted', async () => {
    const t = await createTestContext(get());
    const readOnly = (state: 'on' | 'off') =>
      setFlag({ ctx: t.ctx, input: { name: 'read_only', state, reason: 'worker test', actor: 'test' } });
    let reads = 0;
    const ctx = {
      ...t.ctx,
      flags: {
        stored: () => {
          reads += 1;
          return t.ctx.flags.stored();
        },
      },
    };
    const said = (text: string) => t.logLines.filter((l) => l.includes(text)).length;
    await readOnly('on');
    let worker: ReturnType<typeof startWorker> | undefined;
    try {
      await t.ctx.repos.inbox.insertEvent(event('HeldInbox00001'));
      worker = startWorker({ ctx, concurrency: 2, pollMs: 10, processing: { backoffMs: 60_000 } });
      // Many passes by both loops, each of them held.
      await waitFor(() => reads >= 10, 5_000, 'ten held passes');
      expect(await attempts('HeldInbox00001')).toBe(0);
      expect(said('inbox processing held: read-only mode')).toBe(1);
      await readOnly('off');
      await waitFor(async () => (await attempts('HeldInbox00001')) >= 1, 5_000, 'the claim once lifted');
      await waitFor(() => said('inbox processing resumed after read-only') >= 1, 5_000, 'the resumed line');
      expect(said('inbox processing resumed after read-only')).toBe(1);
    } finally {
      await worker?.stop();
      await readOnly('off');
      await t.close();
    }
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
    const claims = countingEmptyClaims(t.ctx);
    const worker = startWorker({
      ctx: claims.ctx,
      concurrency: 1,
      pollMs: 120_000,
      wake: listener.subscribe,
      processing: { backoffMs: 60_000 },
    });
    // After its first, empty pass the loop sleeps for the 120 s poll: only a wake can claim the event.
    await waitFor(() => claims.empty >= 1, 5_000, 'the first, empty pass');
    await t.ctx.repos.inbox.insertEvent(event('NotifyWake0001'));
    const claimed = async () =>
      (
        await db.db
          .selectFrom('razorpay_webhook_events')
          .select('attempts')
          .where('event_id', '=', 'NotifyWake0001')
          .executeTakeFirstOrThrow()
      ).attempts >= 1;
    await waitFor(claimed, 5_000, 'the woken claim');
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
      await waitFor(() => logged('inbox processing still failing').length >= 3, 30_000, 'four failed passes');
      expect(logged('inbox processing paused; retrying with backoff')).toHaveLength(1);
      // Waits of 40, 80 and 160 ms between the first and the fourth failed pass (20 ms each without backoff).
      const first = Date.parse(logged('inbox processing paused; retrying with backoff')[0]!.time);
      const fourth = Date.parse(logged('inbox processing still failing')[2]!.time);
      expect(fourth - first).toBeGreaterThanOrEqual(280);
      await pg.resume();
      await waitFor(() => logged('inbox processing resumed').length === 1, 60_000, 'resumed');
    } finally {
      await worker.stop();
      await t.close();
      await database.db.destroy();
      pg.stop();
    }
  }, 120_000);
});
