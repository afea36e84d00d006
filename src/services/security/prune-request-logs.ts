import type { ServiceContext } from '../context.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes request_logs rows older than the retention, a batch at a time so no statement holds
 * locks on a large table for long. Returns how many went and the cut-off.
 */
export async function pruneRequestLogs({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { retentionDays: number; batchSize?: number };
}): Promise<{ deleted: number; before: Date }> {
  const before = new Date(ctx.now().getTime() - input.retentionDays * DAY_MS);
  const batchSize = input.batchSize ?? 5000;
  let deleted = 0;
  for (;;) {
    const n = await ctx.repos.requestLogs.pruneBatch(before, batchSize);
    deleted += n;
    if (n < batchSize) return { deleted, before };
  }
}
