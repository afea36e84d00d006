import { AppError } from '../../domain/errors.ts';
import type { StatusSnapshot } from '../../domain/status.ts';
import type { ServiceContext } from '../context.ts';
import { readStatus } from './read-status.ts';

/** How old a snapshot may be before a request starts a reread (the request is still served at once). */
export const STATUS_FRESH_MS = 5_000;
/** How long a read may take before the database counts as slow and the page says so. */
export const STATUS_TIMEOUT_MS = 2_000;

/** Why the snapshot served is not live, and when it was read; null while it is live. */
export type Staleness = { reason: string; asOf: Date | null } | null;

/**
 * What a status request serves: the last snapshot read (null before the first), whether it is
 * stale, and whether it is fresh (read within the fresh time, so others may keep it that long).
 */
export type StatusView = { snapshot: StatusSnapshot | null; stale: Staleness; fresh: boolean };

/** The status page's memory: `current()` never throws and never waits on a database that has already answered once. */
export type StatusCache = { current(): Promise<StatusView>; refresh(): Promise<void> };

const seconds = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/** The reason the public may read for a failed read (no driver detail). */
function publicReason(error: unknown): string {
  if (error instanceof AppError && error.code === 'database_unavailable')
    return 'the status database cannot be reached';
  return 'the live status could not be read';
}

/**
 * Keeps the last status snapshot read and rereads it in the background when older than `freshMs`
 * (one read at a time). A read that fails, or runs past `timeoutMs`, leaves the last snapshot in
 * place marked stale; only the very first read is waited for, and then at most `timeoutMs`.
 */
export function createStatusCache({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { freshMs?: number; timeoutMs?: number; clock?: () => number };
}): StatusCache {
  const freshMs = input.freshMs ?? STATUS_FRESH_MS;
  const timeoutMs = input.timeoutMs ?? STATUS_TIMEOUT_MS;
  const clock = input.clock ?? (() => performance.now());
  let snapshot: StatusSnapshot | null = null;
  let failure: string | null = null;
  let running: Promise<void> | null = null;
  let startedAt = Number.NEGATIVE_INFINITY;
  let readAt = Number.NEGATIVE_INFINITY;

  const refresh = (): Promise<void> => {
    if (running) return running;
    startedAt = clock();
    running = readStatus({ ctx })
      .then((read) => {
        if (failure) ctx.log.info('status readable again');
        snapshot = read;
        readAt = clock();
        failure = null;
      })
      .catch((err: unknown) => {
        if (!failure) ctx.log.warn({ err }, 'cannot read the status; serving the last known state');
        failure = publicReason(err);
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const staleness = (): Staleness => {
    const asOf = snapshot?.asOf ?? null;
    if (failure) return { reason: failure, asOf };
    if (running && clock() - startedAt > timeoutMs)
      return { reason: `the status database has not answered within ${seconds(timeoutMs)}`, asOf };
    return null;
  };

  return {
    refresh,
    async current() {
      if (!running && clock() - startedAt >= freshMs) void refresh();
      if (snapshot === null && running) {
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, timeoutMs - (clock() - startedAt)));
        });
        await Promise.race([running, waited]);
        clearTimeout(timer);
      }
      const stale = staleness();
      return { snapshot, stale, fresh: stale === null && clock() - readAt < freshMs };
    },
  };
}
