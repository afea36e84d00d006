import type { ServiceContext } from '../context.ts';
import { type ProcessInboxOutcome, processInbox } from '../webhooks/process-inbox.ts';
import { type JobReport, runScheduledJobs, type ScheduledJob } from './run-scheduled-jobs.ts';

export type { ScheduledJob } from './run-scheduled-jobs.ts';

/** What one tick did. */
export type CronTickReport = {
  /** Inbox passes run, and what they did together. */
  passes: number;
  claimed: number;
  processed: number;
  retried: number;
  failed: number;
  skipped: number;
  /** `drained`: a pass found nothing due; `budget`: time ran out with work perhaps left. */
  stopped: 'drained' | 'budget';
  elapsedMs: number;
  jobs: JobReport[];
};

/**
 * One scheduler tick (Vercel Cron, or any scheduler on a host without a resident worker): runs
 * each scheduled job, then inbox passes until one finds nothing due or `budgetMs` is spent (at
 * least one pass). A failing job is reported and the tick goes on; an inbox that cannot be read
 * throws AppError('database_unavailable'). `clock` is monotonic milliseconds.
 */
export async function runCronTick({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    budgetMs: number;
    jobs?: ScheduledJob[];
    onPass?: (outcome: ProcessInboxOutcome) => void;
    clock?: () => number;
  };
}): Promise<CronTickReport> {
  const clock = input.clock ?? (() => performance.now());
  const started = clock();
  const jobs = await runScheduledJobs({ ctx, input: { jobs: input.jobs ?? [] } });
  const total = { passes: 0, claimed: 0, processed: 0, retried: 0, failed: 0, skipped: 0 };
  let stopped: CronTickReport['stopped'] = 'budget';
  do {
    const outcome = await processInbox({ ctx });
    input.onPass?.(outcome);
    total.passes += 1;
    for (const key of ['claimed', 'processed', 'retried', 'failed', 'skipped'] as const)
      total[key] += outcome[key];
    if (outcome.claimed === 0) {
      stopped = 'drained';
      break;
    }
  } while (clock() - started < input.budgetMs);
  return { ...total, stopped, elapsedMs: Math.round(clock() - started), jobs };
}
