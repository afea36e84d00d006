import type { Kysely } from 'kysely';
import type pg from 'pg';
import { createKysely } from '../connection.ts';
import type { Database } from '../schema.ts';

/** One connection of a dump's or a load's own: Kysely for its queries, the same client for COPY. */
export type DumpSession = { db: Kysely<Database>; client: () => pg.ClientBase };

/**
 * Opens a connection to `url` for `work` and closes it afterwards. COPY needs the driver's client,
 * which Kysely keeps to itself: a pool of one hands it over when it connects.
 */
export async function withDumpSession<T>(
  url: string,
  work: (session: DumpSession) => Promise<T>,
): Promise<T> {
  const handle = createKysely(url, { max: 1 });
  let current: pg.PoolClient | undefined;
  handle.pool.on('connect', (client) => {
    current = client;
  });
  const client = () => {
    if (!current) throw new Error('the dump connection is not open yet');
    return current;
  };
  try {
    return await work({ db: handle.db, client });
  } finally {
    await handle.db.destroy();
  }
}
