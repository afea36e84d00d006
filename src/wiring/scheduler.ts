import { hostname } from 'node:os';
import { ownConnectionUrl } from '../adapters/db/embedded.ts';
import { createLeaderLock } from '../adapters/db/leader-lock.ts';
import type { Config } from '../config.ts';
import type { ServiceContext } from '../services/context.ts';
import { leadSchedule, type SchedulerHandle } from '../services/schedule/lead-schedule.ts';
import type { ScheduledJob } from '../services/schedule/run-scheduled-jobs.ts';

/** This process's name as the scheduler's leader (scheduler_leader.holder). */
export const schedulerHolder = (): string => `${hostname()}/${process.pid}`;

/**
 * The scheduler of `polaris start`: `jobs` (scheduledJobs(), the list the Vercel tick runs) on
 * whichever instance holds the advisory lock. On the embedded database this process is the only
 * one serving the folder, so it always leads; its lock connection counts as its own there.
 */
export function startScheduler(
  config: Config,
  ctx: ServiceContext,
  url: string,
  jobs: ScheduledJob[],
): SchedulerHandle {
  const lockUrl = config.database.kind === 'embedded' ? ownConnectionUrl(url) : url;
  return leadSchedule({ ctx, input: { lock: createLeaderLock(lockUrl), jobs, holder: schedulerHolder() } });
}
