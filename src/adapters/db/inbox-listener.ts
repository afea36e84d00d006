import pg from 'pg';

/** A LISTEN connection on polaris_inbox: handlers run whenever an event is stored. */
export type InboxListener = { subscribe: (handler: () => void) => () => void; close: () => Promise<void> };

/**
 * Opens a dedicated connection that LISTENs for stored webhook events (PostgreSQL only; the
 * embedded database does not deliver notifications across connections). A lost connection is
 * reopened after a pause; workers keep polling meanwhile.
 */
export async function listenForInbox(url: string, onError: (error: unknown) => void): Promise<InboxListener> {
  const handlers = new Set<() => void>();
  let client: pg.Client | undefined;
  let closed = false;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url, application_name: 'polaris-listener' });
    next.on('notification', () => {
      for (const handler of handlers) handler();
    });
    next.on('error', (error) => {
      onError(error);
      if (!closed) setTimeout(() => void connect().catch(onError), 1_000).unref();
    });
    await next.connect();
    await next.query('LISTEN polaris_inbox');
    client = next;
  };
  await connect();
  return {
    subscribe: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    close: async () => {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
