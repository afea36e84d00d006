import type { DrillRow } from '../../adapters/db/schema-drills.ts';
import type { ServiceContext } from '../context.ts';

export type { DrillRow } from '../../adapters/db/schema-drills.ts';

/** The latest drills, newest first (`polaris db drill --history`). */
export function listDrills({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { limit: number };
}): Promise<DrillRow[]> {
  return ctx.repos.drills.list(input.limit);
}
