import type { MaintenanceWindow } from '../../domain/maintenance.ts';
import type { ServiceContext } from '../context.ts';

/** `polaris maintenance windows`: the live windows soonest first; `all` adds past and cancelled ones, newest first. */
export function listMaintenanceWindows({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { all?: boolean | undefined; limit?: number | undefined };
}): Promise<MaintenanceWindow[]> {
  return ctx.repos.maintenance.list({ all: input.all === true, limit: input.limit ?? 100 });
}
