import pg from 'pg';

/** A LISTEN connection on one channel: handlers run on each notification (polaris_inbox: an event is stored). */
export type InboxListener = {
  subscribe: (handler: () => void) => () => void;
  /** Whether the LISTEN connection is up right now (workers poll meanwhile when it is not). */
  connected: () => boolean;
  close: () => Promise<void>;
};

/** What the listener reports: a lost connection, a failed reconnect, and a restored one. */
export type ListenerEvents = {
  lost: (error: unknown) => void;
  restored: () => void;
};

const RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

// How each listener shows in pg_stat_activity (operators and the chaos tests find them by it).
const APPLICATION_NAME = { polaris_inbox: 'polaris-listener', polaris_flags: 'polaris-flags-listener' };

/** Opens the LISTEN connection for stored webhook events (see listenOn). */
export function listenForInbox(url: string, events: ListenerEvents): Promise<InboxListener> {
  return listenOn(url, 'polaris_inbox', events);
}

/**
 * Opens a dedicated connection that LISTENs on `channel` (PostgreSQL only; the embedded database
 * does not deliver notifications across connections). A lost connection is rebuilt for as long as
 * the listener is open, backing off to one try every 5 s; once it is back, handlers run once,
 * since whatever happened while it was down sent no notification.
 */
export async function listenOn(
  url: string,
  channel: 'polaris_inbox' | 'polaris_flags',
  events: ListenerEvents,
): Promise<InboxListener> {
  const handlers = new Set<() => void>();
  const notify = () => {
    for (const handler of handlers) handler();
  };
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: APPLICATION_NAME[channel] });
    let lost = false;
    const onLost = (error: unknown) => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      next.end().catch(() => {});
      if (closed) return;
      events.lost(error);
      schedule();
    };
    next.on('error', onLost);
    next.on('end', () => onLost(new Error('listener connection ended')));
    next.on('notification', notify);
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      onLost(error);
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    if (failures > 0) events.restored();
    failures = 0;
  };

  const schedule = () => {
    if (closed || timer) return;
    const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!;
    failures += 1;
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(notify, () => {});
    }, delay);
    timer.unref();
  };

  // A database that is down at boot is not fatal: the retries above keep trying meanwhile.
  await connect().catch(() => {});
  return {
    subscribe: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    connected: () => client !== undefined,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
