import pg from 'pg';

/** The advisory lock key the scheduler's leader holds (the migrator's is 7_357_001). */
export const SCHEDULER_LOCK_KEY = 7_357_011;

/** How the scheduler's lock connection shows in pg_stat_activity. */
export const SCHEDULER_APPLICATION_NAME = 'polaris-scheduler';

const TIMEOUT_MS = 5_000;
const KEEPALIVES =
  'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3';

/** Leadership through a session advisory lock on a dedicated connection. */
export type LeaderLock = {
  /** Takes the lock if no other session holds it; throws when the database cannot be reached. */
  acquire(): Promise<boolean>;
  /** Whether the lock is still ours: its connection answers a round trip (false once it is lost). */
  confirm(): Promise<boolean>;
  /** Whether this process believes it holds the lock (false as soon as the connection drops). */
  held(): boolean;
  /** Unlocks and closes the connection; a later acquire() starts over. */
  release(): Promise<void>;
};

/**
 * A leader lock on `url`: `pg_try_advisory_lock` on a connection of its own, so the lock lives
 * exactly as long as that session. A killed process or a cut connection frees it for another
 * instance; a lost connection is noticed here (`held()` turns false) without crashing anything.
 */
export function createLeaderLock(
  url: string,
  options: { key?: number; applicationName?: string } = {},
): LeaderLock {
  const key = options.key ?? SCHEDULER_LOCK_KEY;
  let client: pg.Client | undefined;
  let holding = false;

  const drop = (lost: pg.Client) => {
    if (client !== lost) return;
    client = undefined;
    holding = false;
    lost.end().catch(() => {});
  };

  const open = async (): Promise<pg.Client> => {
    if (client) return client;
    const next = new pg.Client({
      connectionString: url,
      application_name: options.applicationName ?? SCHEDULER_APPLICATION_NAME,
      connectionTimeoutMillis: TIMEOUT_MS,
      query_timeout: TIMEOUT_MS,
      keepAlive: true,
    });
    next.on('error', () => drop(next));
    next.on('end', () => drop(next));
    client = next;
    try {
      await next.connect();
    } catch (error) {
      drop(next);
      throw error;
    }
    // A leader cut off without a reset would keep the lock until the server notices the dead
    // peer (2 h by default); this session asks it to notice within about 25 s.
    await next.query(KEEPALIVES).catch(() => {});
    return next;
  };

  return {
    async acquire() {
      const conn = await open();
      try {
        const result = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
        holding = result.rows[0]?.ok === true;
      } catch (error) {
        drop(conn);
        throw error;
      }
      return holding;
    },
    async confirm() {
      const conn = client;
      if (!conn || !holding) return false;
      try {
        await conn.query('SELECT 1');
        return holding && client === conn;
      } catch {
        drop(conn);
        return false;
      }
    },
    held: () => holding && client !== undefined,
    async release() {
      const conn = client;
      if (!conn) return;
      if (holding) await conn.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
      drop(conn);
    },
  };
}
