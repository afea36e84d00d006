import { type InboxListener, listenOn } from '../adapters/db/inbox-listener.ts';
import type { Logger } from '../adapters/logger.ts';
import type { Config } from '../config.ts';
import type { ServiceContext } from '../services/context.ts';
import { FLAGS_POLL_MS, watchFlags } from '../services/flags/watch-flags.ts';

/**
 * The flags as a server or a worker reads them: a cache woken by NOTIFY on polaris_flags on
 * PostgreSQL, reloaded every second everywhere (on the embedded database one process owns the
 * data and polling is enough). Returns the context to use from now on, with the cache in it.
 */
export async function startFlagsWatch(config: Config, ctx: ServiceContext, url: string, log: Logger) {
  let listener: InboxListener | undefined;
  if (config.database.kind === 'postgres') {
    listener = await listenOn(url, 'polaris_flags', {
      lost: (error) => log.warn({ err: error }, 'flags listener lost; polling every second until it is back'),
      restored: () => log.info('flags listener restored'),
    });
  }
  const watch = await watchFlags({ ctx, input: { pollMs: FLAGS_POLL_MS, wake: listener?.subscribe } });
  return {
    ctx: { ...ctx, flags: watch.port } satisfies ServiceContext,
    stop: async () => {
      await watch.stop();
      await listener?.close();
    },
  };
}
