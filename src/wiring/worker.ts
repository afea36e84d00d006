import { type InboxListener, listenForInbox } from '../adapters/db/inbox-listener.ts';
import type { Logger } from '../adapters/logger.ts';
import type { Metrics } from '../adapters/metrics/metrics.ts';
import type { Config } from '../config.ts';
import { startWorker } from '../interfaces/worker/start-worker.ts';
import type { ServiceContext } from '../services/context.ts';

/** The inbox worker, woken by LISTEN/NOTIFY on PostgreSQL and polling on the embedded database. */
export async function startInboxWorker(
  config: Config,
  ctx: ServiceContext,
  url: string,
  log: Logger,
  metrics?: Metrics,
) {
  let listener: InboxListener | undefined;
  if (config.database.kind === 'postgres') {
    listener = await listenForInbox(url, {
      lost: (error) => log.warn({ err: error }, 'inbox listener lost; polling until it is back'),
      restored: () => log.info('inbox listener restored'),
    });
  }
  const worker = startWorker({
    ctx,
    ...(listener ? { wake: listener.subscribe, pollMs: 2_000 } : {}),
    ...(metrics ? { onPass: (outcome) => metrics.countProcessing(outcome) } : {}),
  });
  return {
    stop: async () => {
      await worker.stop();
      await listener?.close();
    },
  };
}
