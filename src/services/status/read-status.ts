import {
  currentStates,
  historyStart,
  maintenancePhase,
  pageStatus,
  type StatusSnapshot,
  uptimeBars,
} from '../../domain/status.ts';
import type { ServiceContext } from '../context.ts';

// Enough for 90 days of a busy page; older ones stay in `polaris incident list`.
const MAX_INCIDENTS = 200;
const MAX_WINDOWS = 100;

/** Reads the public status now: component states, published incidents, maintenance, uptime bars. */
export async function readStatus({ ctx }: { ctx: ServiceContext }): Promise<StatusSnapshot> {
  const now = ctx.now();
  const since = historyStart(now);
  const [open, incidents, windows, stretches] = await Promise.all([
    ctx.repos.status.openImpacts(),
    ctx.repos.status.publishedIncidents(since, MAX_INCIDENTS),
    ctx.repos.status.maintenance(since, MAX_WINDOWS),
    ctx.repos.status.stretches(since),
  ]);
  const components = currentStates(open, windows, now);
  return {
    asOf: now,
    status: pageStatus(components),
    components,
    incidents,
    maintenance: windows.map((w) => ({ ...w, phase: maintenancePhase(w, now) })),
    uptime: uptimeBars(stretches, now),
  };
}
