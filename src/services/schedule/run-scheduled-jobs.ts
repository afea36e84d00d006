import type { ServiceContext } from '../context.ts';

/** Periodic work a tick or the scheduler's leader runs (flag expiry, escalations, ... as they land). */
export type ScheduledJob = { name: string; run: () => Promise<unknown> };

/** What each job of one run did. */
export type JobReport = { name: string; ok: boolean; result?: unknown; error?: string };

/**
 * Runs the jobs in order; a failing job is reported and logged and the next one runs. `proceed`
 * is asked before each job (a leader that lost its lock stops there).
 */
export async function runScheduledJobs({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { jobs: readonly ScheduledJob[]; proceed?: () => boolean };
}): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const job of input.jobs) {
    if (input.proceed && !input.proceed()) break;
    try {
      reports.push({ name: job.name, ok: true, result: await job.run() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.warn({ err: error, job: job.name }, 'scheduled job failed');
      reports.push({ name: job.name, ok: false, error: message });
    }
  }
  return reports;
}
