import type { StoredFlag } from '../../domain/flags.ts';
import type { FlagsPort, ServiceContext } from '../context.ts';
import { revertExpiredFlags } from './revert-expired-flags.ts';

/** How often a server or worker reloads the flags when no notification arrives (the fallback). */
export const FLAGS_POLL_MS = 1_000;

/** A running flags cache: the port to put in the context, a reload on demand, and stop. */
export type FlagsWatch = { port: FlagsPort; refresh(): Promise<void>; stop(): Promise<void> };

/**
 * Keeps the stored flags in memory for a server or a worker: reloaded at once on `wake` (NOTIFY on
 * polaris_flags) or a change made in this process, and every `pollMs` in any case. Each reload
 * also writes back a flag whose `--for` ran out (safe with every instance doing it at once).
 * While the database cannot be read, the last flags read stay in force.
 */
export async function watchFlags({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { pollMs?: number; wake?: ((handler: () => void) => () => void) | undefined };
}): Promise<FlagsWatch> {
  const source = ctx.flags;
  let cached: StoredFlag[] | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let failing = false;
  let stopped = false;

  const load = async () => {
    let rows = await source.stored();
    const now = ctx.now().getTime();
    const expired = rows.filter((f) => f.expiresAt && f.expiresAt.getTime() <= now).map((f) => f.name);
    if (expired.length > 0) {
      await revertExpiredFlags({ ctx, input: { names: expired } });
      rows = await source.stored();
    }
    cached = rows;
  };
  // One reload at a time; a request during one runs another right after, so it sees its change.
  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await load();
          if (failing) ctx.log.info('flags readable again');
          failing = false;
        } catch (err) {
          if (!failing) ctx.log.warn({ err }, 'cannot read the flags; the last ones read stay in force');
          failing = true;
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  await refresh();
  const timer = setInterval(() => void refresh(), input.pollMs ?? FLAGS_POLL_MS);
  timer.unref();
  const unsubscribe = input.wake?.(() => void refresh());
  return {
    port: {
      stored: async () => cached ?? source.stored(),
      changed: () => void refresh(),
    },
    refresh,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe?.();
      await running;
    },
  };
}
