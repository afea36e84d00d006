import type { Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ABORT_EXCHANGE, endsExchange, fatalError, isStartup, startupParameter } from './pglite-wire.ts';

type QueueItem = {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
};
type QueryQueue = {
  queue: QueueItem[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue: () => Promise<void>;
  clearTransactionIfNeeded: (handlerId: number) => Promise<void>;
};
type Handler = { handlerId: number; socket: Socket | null };

/** How long an outside client may keep the session idle inside a transaction (PostgreSQL's idle_in_transaction_session_timeout). */
export const IDLE_IN_TRANSACTION_MS = 10_000;

export type SessionOptions = {
  /** The application_name of this process's own connections: never cut, and they leave no state to reset. */
  ownApplicationName?: string | undefined;
  /** Overrides IDLE_IN_TRANSACTION_MS (tests). */
  idleInTransactionMs?: number | undefined;
};

// DISCARD ALL minus pg_advisory_unlock_all, which would drop the server's own session locks.
const RESET_SESSION =
  'CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; UNLISTEN *; DISCARD TEMP; DISCARD SEQUENCES';

/**
 * PGlite is one session shared by every client of pglite-socket, whose queue interleaves single
 * protocol messages. This keeps each client's exchange (first message to Sync) and transaction
 * whole, resets what an outside client set (SET, temp tables, prepared statements, LISTEN) before
 * another client's turn, rolls back the exchange or transaction of a client that leaves mid-way,
 * and cuts an outside client that holds the session idle longer than the limit, with SQLSTATE
 * 25P03 as PostgreSQL does. With no outside client, this process's own queries pay no reset.
 */
export function shareSession(server: PGLiteSocketServer, db: PGlite, options: SessionOptions = {}): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  const handlers = (server as unknown as { handlers: Set<Handler> }).handlers;
  const idleMs = options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS;
  const own = new Set<number>(); // this process's connections
  const cut = new Set<number>(); // cut for idling, socket not yet closed
  const closed = new Set<number>(); // disconnected, exchange or transaction maybe not yet abandoned
  let owner: number | null = null; // the client in the middle of an extended-protocol exchange
  let outsideState = false; // an outside client ran since the session was last reset
  let idle: { id: number; timer: NodeJS.Timeout } | undefined;

  // PGlite throws from isInTransaction() once closed, as it is when the server stops.
  const holder = () => owner ?? (!db.closed && db.isInTransaction() ? q.lastHandlerId : null);
  const gone = (id: number) => cut.has(id) || closed.has(id);

  function stopIdleTimer(): void {
    if (idle) clearTimeout(idle.timer);
    idle = undefined;
  }

  function watchIdleHolder(id: number | null): void {
    if (id !== null && idle?.id === id) return; // already counting since its last message
    stopIdleTimer();
    if (id === null || own.has(id) || gone(id)) return;
    idle = { id, timer: setTimeout(() => cutIdle(id), idleMs).unref() };
  }

  function cutIdle(id: number): void {
    idle = undefined;
    if (q.processing || holder() !== id) return;
    cut.add(id);
    const socket = [...handlers].find((h) => h.handlerId === id)?.socket;
    const seconds = Math.round(idleMs / 100) / 10;
    socket?.end(
      fatalError(
        '25P03',
        `terminating connection due to idle-in-transaction timeout (${seconds} s): the embedded database has one session, shared with the Polaris server; commit or roll back promptly`,
      ),
      () => socket.destroy(),
    );
    void q.processQueue();
  }

  async function abandon(id: number): Promise<void> {
    try {
      if (owner === id) {
        owner = null;
        await db.runExclusive(() => db.execProtocolRaw(ABORT_EXCHANGE));
      }
      if (db.isInTransaction()) await db.exec('ROLLBACK');
    } catch {
      // Nothing more can be done for a session PGlite refuses to roll back; serve the others.
    } finally {
      owner = null;
      q.lastHandlerId = null;
    }
  }

  /** Gets the session ready for the item's client; false when it must not run. */
  async function takeTurn(item: QueueItem, sticky: number | null): Promise<boolean> {
    if (gone(item.handlerId)) {
      item.reject(new Error('Handler disconnected'));
      return false;
    }
    if (idle?.id === item.handlerId) stopIdleTimer();
    if (sticky === null && outsideState && item.handlerId !== q.lastHandlerId) {
      try {
        await db.exec(RESET_SESSION);
        outsideState = false;
      } catch (error) {
        item.reject(error);
        return false;
      }
    }
    const name = options.ownApplicationName;
    if (name && isStartup(item.message) && startupParameter(item.message, 'application_name') === name) {
      own.add(item.handlerId);
    }
    if (!own.has(item.handlerId)) outsideState = true;
    return true;
  }

  async function run(item: QueueItem): Promise<void> {
    let bytes = 0;
    try {
      await db.runExclusive(() =>
        db.execProtocolRawStream(item.message, {
          onRawData: (data: Uint8Array) => {
            bytes += data.length;
            item.onData(data);
          },
        }),
      );
    } catch (error) {
      owner = null;
      item.reject(error);
      return;
    }
    q.lastHandlerId = item.handlerId;
    owner = endsExchange(item.message) ? null : item.handlerId;
    item.resolve(bytes);
  }

  // No await may come between the loop's last look at the queue and `processing = false`: a
  // message enqueued in that gap would wait forever.
  q.processQueue = async () => {
    if (q.processing) return;
    q.processing = true;
    try {
      for (;;) {
        const sticky = holder();
        if (sticky !== null && gone(sticky)) {
          await abandon(sticky);
          continue;
        }
        const index = sticky === null ? 0 : q.queue.findIndex((item) => item.handlerId === sticky);
        if (index === -1 || q.queue.length === 0) break; // the holder's next message has not arrived
        const [item] = q.queue.splice(index, 1) as [QueueItem];
        if (await takeTurn(item, sticky)) await run(item);
      }
    } catch (error) {
      // PGlite itself failed (closed under us): no queued client can be served any more.
      for (const item of q.queue.splice(0)) item.reject(error);
      return;
    } finally {
      q.processing = false;
    }
    const sticky = holder();
    for (const id of closed) if (id !== sticky) closed.delete(id);
    watchIdleHolder(sticky);
  };

  // Called by pglite-socket when a client disconnects, after its queued messages were dropped.
  q.clearTransactionIfNeeded = async (id: number) => {
    closed.add(id);
    cut.delete(id);
    own.delete(id);
    if (idle?.id === id) stopIdleTimer();
    await q.processQueue();
  };
  server.addEventListener('close', stopIdleTimer);
}
