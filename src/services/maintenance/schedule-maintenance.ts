import { parseComponents } from '../../domain/incidents.ts';
import {
  checkWindowSpan,
  type MaintenanceWindow,
  overlapError,
  parseWindowMessage,
  parseWindowTime,
  windowLabel,
} from '../../domain/maintenance.ts';
import type { ServiceContext } from '../context.ts';

/** What an operator gives to schedule a window (strings as typed; validated here). */
export type ScheduleMaintenanceInput = {
  start?: string | undefined;
  end?: string | undefined;
  message?: string | undefined;
  components?: string | readonly string[] | undefined;
  notify?: boolean | undefined;
  actor: string;
};

/**
 * `polaris maintenance schedule`: stores a window with its audit row. The scheduled job
 * (run-maintenance-windows.ts) queues the notice on its next run, and does the rest on time.
 */
export async function scheduleMaintenance({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ScheduleMaintenanceInput;
}): Promise<MaintenanceWindow> {
  const startsAt = parseWindowTime('start', input.start);
  const endsAt = parseWindowTime('end', input.end);
  const message = parseWindowMessage(input.message);
  const components = parseComponents(input.components);
  const now = ctx.now();
  checkWindowSpan({ startsAt, endsAt }, now);
  const notify = input.notify === true;
  return ctx.transaction(async (repos) => {
    const other = await repos.maintenance.findOverlap(startsAt, endsAt);
    if (other) throw overlapError(other);
    const window = await repos.maintenance.insert({
      startsAt,
      endsAt,
      message,
      components,
      notify,
      createdBy: input.actor,
      at: now,
    });
    await repos.audit.record({
      actor: input.actor,
      action: 'maintenance.schedule',
      target: windowLabel(window.id),
      details: {
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        message,
        components,
        notify,
      },
    });
    return window;
  });
}
