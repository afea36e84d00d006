import { RequestLogWriter } from '../adapters/db/request-log-writer.ts';
import type { Logger } from '../adapters/logger.ts';
import type { ServiceContext } from '../services/context.ts';
import { pruneRequestLogs } from '../services/security/prune-request-logs.ts';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Settings of the server's request log. */
export type RequestLogSettings = { retentionDays: number; pruneEveryMs?: number };

/**
 * The server's request log: a batched writer over the pool, and pruning past the retention at
 * start and then hourly. A pruning failure (database down) is logged and retried next time.
 */
export function startRequestLog(ctx: ServiceContext, log: Logger, settings: RequestLogSettings) {
  const writer = new RequestLogWriter({
    insert: (entries) => ctx.repos.requestLogs.insertMany(entries),
    log,
  });
  let pruning: Promise<void> = Promise.resolve();
  const prune = () => {
    pruning = pruneRequestLogs({ ctx, input: { retentionDays: settings.retentionDays } }).then(
      ({ deleted }) => {
        if (deleted > 0) log.info({ deleted, retentionDays: settings.retentionDays }, 'request log pruned');
      },
      (error: unknown) =>
        log.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'request log: pruning failed',
        ),
    );
  };
  prune();
  const timer = setInterval(prune, settings.pruneEveryMs ?? PRUNE_EVERY_MS);
  timer.unref();
  return {
    writer,
    /** Stops pruning and writes what is buffered. */
    async close(): Promise<void> {
      clearInterval(timer);
      await pruning;
      await writer.close();
    },
  };
}
