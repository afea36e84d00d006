import type { LeaderLock } from '../../adapters/db/leader-lock.ts';
import type { ServiceContext } from '../context.ts';
import { type JobReport, runScheduledJobs, type ScheduledJob } from './run-scheduled-jobs.ts';

/** Between two runs of the jobs while leading. */
export const SCHEDULER_INTERVAL_MS = 10_000;
/** Between two tries to lead while another instance leads or the database is away. */
export const SCHEDULER_RETRY_MS = 5_000;

/** Where this instance stands: before its first try, leading, following another leader, or without a database. */
export type SchedulerRole = 'starting' | 'leader' | 'follower' | 'unreachable';

/** A running scheduler loop. */
export type SchedulerHandle = {
  role(): SchedulerRole;
  /** Ends the loop after the current run and gives the lock up. */
  stop(): Promise<void>;
};

/** The scheduler loop's settings. */
export type LeadScheduleInput = {
  lock: LeaderLock;
  jobs: readonly ScheduledJob[];
  /** This instance's name in scheduler_leader (host and pid). */
  holder: string;
  intervalMs?: number;
  retryMs?: number;
  /** Hears each run the leader made (tests, metrics). */
  onRun?: (jobs: JobReport[]) => void;
};

/**
 * The resident scheduler of `polaris start`: every instance runs it, and only the one holding the
 * advisory lock runs the jobs, every `intervalMs`. A leader whose lock connection drops steps
 * down before its next job; the database going away is logged once and retried, never fatal.
 * The jobs are exactly-once by their own keys, so a split second of two leaders repeats nothing.
 */
export function leadSchedule({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: LeadScheduleInput;
}): SchedulerHandle {
  const { lock, holder } = input;
  let role = 'starting' as SchedulerRole;
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const become = (next: SchedulerRole, error?: unknown) => {
    if (next === role) return;
    const was = role;
    role = next;
    if (next === 'leader') ctx.log.info({ holder }, 'scheduler leading');
    else if (was === 'leader') ctx.log.warn({ holder, err: error }, 'scheduler stepped down: lock lost');
    if (next === 'unreachable') ctx.log.warn({ err: error }, 'scheduler cannot reach the database; retrying');
    else if (was === 'unreachable') ctx.log.info('scheduler reached the database again');
  };

  const turn = async () => {
    let leading: boolean;
    try {
      leading = lock.held() ? await lock.confirm() : await lock.acquire();
    } catch (error) {
      become('unreachable', error);
      return;
    }
    become(leading ? 'leader' : 'follower');
    if (!leading) return;
    await ctx.repos.scheduler.heartbeat(holder, ctx.now()).catch(() => {});
    const jobs = await runScheduledJobs({ ctx, input: { jobs: input.jobs, proceed: () => lock.held() } });
    if (!lock.held()) become('follower');
    input.onRun?.(jobs);
  };

  const loop = (async () => {
    while (!stopping) {
      await turn();
      if (stopping) break;
      await sleep(
        role === 'leader'
          ? (input.intervalMs ?? SCHEDULER_INTERVAL_MS)
          : (input.retryMs ?? SCHEDULER_RETRY_MS),
      );
    }
    await lock.release();
  })();

  return {
    role: () => role,
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
