import type { ServiceContext } from '../context.ts';
import type { SmokeReport } from './smoke-report.ts';

/** Writes one finished run to smoke_runs, so restore-check can ask whether one passed recently. */
export async function recordSmokeRun({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'repos'>;
  input: SmokeReport;
}): Promise<{ id: string; finishedAt: Date }> {
  const count = (status: string) => input.steps.filter((s) => s.status === status).length;
  const row = await ctx.repos.smokeRuns.record({
    url: input.url,
    ok: input.ok,
    full: input.full,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    steps: input.steps,
    startedAt: input.startedAt,
  });
  return { id: String(row.id), finishedAt: row.finished_at };
}
