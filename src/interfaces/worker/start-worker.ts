import type { ServiceContext } from '../../services/context.ts';
import {
  type ProcessInboxInput,
  type ProcessInboxOutcome,
  processInbox,
} from '../../services/webhooks/process-inbox.ts';

const MAX_BACKOFF_MS = 30_000;

/** A running inbox worker. */
export type WorkerHandle = { stop(): Promise<void> };

/** Worker options: parallel loops, idle poll interval, and the processing knobs. */
export type WorkerOptions = {
  ctx: ServiceContext;
  concurrency?: number;
  pollMs?: number;
  processing?: ProcessInboxInput;
  /** Wakes idle loops at once when an event is stored (LISTEN/NOTIFY); polling remains the fallback. */
  wake?: (handler: () => void) => () => void;
  /** Hears each completed pass (metrics). */
  onPass?: (outcome: ProcessInboxOutcome) => void;
};

/**
 * Runs `concurrency` loops that claim and apply inbox batches, sleeping `pollMs` when there is
 * nothing due; stop() lets the current batches finish and resolves when every loop has ended.
 */
export function startWorker({
  ctx,
  concurrency = 2,
  pollMs = 500,
  processing,
  wake,
  onPass,
}: WorkerOptions): WorkerHandle {
  let stopping = false;
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });
  // While passes fail (the database is down, or its schema rolled back), say so once, back off
  // to one try every 30 s at most, and say so again when a pass succeeds.
  let failures = 0;
  let held = false;
  const loop = async () => {
    while (!stopping) {
      const result = await processInbox({ ctx, input: processing }).catch((err: unknown) => {
        failures += 1;
        if (failures === 1) ctx.log.warn({ err }, 'inbox processing paused; retrying with backoff');
        else ctx.log.debug({ err, failures }, 'inbox processing still failing');
        return null;
      });
      if (result) onPass?.(result);
      if (result && failures > 0) {
        ctx.log.info({ failedPasses: failures }, 'inbox processing resumed');
        failures = 0;
      }
      if (result && Boolean(result.held) !== held) {
        held = Boolean(result.held);
        ctx.log.info(
          held ? 'inbox processing held: read-only mode' : 'inbox processing resumed after read-only',
        );
      }
      const wait = result ? pollMs : Math.min(pollMs * 2 ** Math.min(failures, 10), MAX_BACKOFF_MS);
      if ((!result || result.claimed === 0) && !stopping) await sleep(wait);
    }
  };
  const unsubscribe = wake?.(() => {
    for (const sleeper of [...sleepers]) sleeper();
  });
  const loops = Array.from({ length: Math.max(1, concurrency) }, () => loop());
  return {
    async stop() {
      stopping = true;
      unsubscribe?.();
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
  };
}
