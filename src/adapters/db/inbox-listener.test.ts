import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { listenForInbox } from './inbox-listener.ts';

describe('listenForInbox on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    await migrateTestDatabase(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  const terminateListener = () =>
    sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'polaris-listener' AND datname = current_database()`.execute(database.db);
  const notify = () => sql`SELECT pg_notify('polaris_inbox', '')`.execute(database.db);

  it('rebuilds its connection after the server ends it, and wakes handlers for what it missed', async () => {
    const lost: unknown[] = [];
    let restored = 0;
    const listener = await listenForInbox(database.url, {
      lost: (error) => lost.push(error),
      restored: () => {
        restored += 1;
      },
    });
    let wakes = 0;
    listener.subscribe(() => {
      wakes += 1;
    });
    try {
      await notify();
      await waitFor(() => wakes >= 1, 5_000, 'first notification');

      await terminateListener();
      await waitFor(() => lost.length >= 1, 5_000, 'loss reported');
      await waitFor(() => restored === 1 && listener.connected(), 10_000, 'connection rebuilt');
      // The rebuilt connection wakes its handlers once for events stored during the gap.
      const afterRestore = wakes;
      expect(afterRestore).toBeGreaterThanOrEqual(2);

      await notify();
      await waitFor(() => wakes > afterRestore, 5_000, 'notification on the rebuilt connection');
    } finally {
      await listener.close();
    }
  });

  it('keeps retrying while the database refuses connections', async () => {
    const lost: unknown[] = [];
    const listener = await listenForInbox('postgresql://postgres@127.0.0.1:1/postgres', {
      lost: (error) => lost.push(error),
      restored: () => {},
    });
    try {
      expect(listener.connected()).toBe(false);
      await waitFor(() => lost.length >= 3, 10_000, 'three refused attempts');
    } finally {
      await listener.close();
    }
  });
});
