import type { Repos } from '../../adapters/db/repos.ts';
import {
  dueSteps,
  MAINTENANCE_ACTOR,
  type MaintenanceStep,
  type MaintenanceWindow,
  windowLabel,
} from '../../domain/maintenance.ts';
import type { Notify } from '../../domain/notifications.ts';
import type { ServiceContext } from '../context.ts';
import {
  type FlagOutcome,
  flagOutcomeText,
  releaseMaintenance,
  turnMaintenanceOn,
} from './maintenance-flag.ts';
import { maintenanceNotification } from './maintenance-notification.ts';

/** One step this run took (another run, or an operator, may have taken it first: then it is absent). */
export type MaintenanceAction = { window: string; step: MaintenanceStep; flag?: string; queued?: number };

/** What one run did, and the steps that failed (they are retried on the next run). */
export type MaintenanceRunReport = {
  actions: MaintenanceAction[];
  failures: { window: string; step: MaintenanceStep; error: string }[];
};

// Flag changes first: a notice that cannot be queued must not hold maintenance mode back.
const ORDER: MaintenanceStep[] = ['end', 'missed', 'start', 'notice', 'reminder'];
const LIVE = ['scheduled', 'in_progress'] as const;

type Done = Omit<MaintenanceAction, 'window' | 'step'>;

async function changeStatus(
  ctx: ServiceContext,
  w: MaintenanceWindow,
  step: 'start' | 'end' | 'missed',
  now: Date,
): Promise<Done | undefined> {
  const { flag, done } = await ctx.transaction(
    async (repos): Promise<{ flag?: FlagOutcome; done: boolean }> => {
      const moved =
        step === 'start'
          ? await repos.maintenance.updateIf(w.id, 'scheduled', {
              status: 'in_progress',
              started_at: now,
              updated_at: now,
            })
          : await repos.maintenance.updateIf(w.id, step === 'end' ? 'in_progress' : 'scheduled', {
              status: 'completed',
              ended_at: now,
              updated_at: now,
            });
      if (!moved) return { done: false };
      const outcome =
        step === 'start'
          ? await turnMaintenanceOn(repos, moved, now)
          : step === 'end'
            ? await releaseMaintenance(repos, moved, {
                actor: MAINTENANCE_ACTOR,
                reason: 'window ended',
                now,
              })
            : undefined;
      await audit(repos, w, step, {
        startsAt: w.startsAt.toISOString(),
        endsAt: w.endsAt.toISOString(),
        flag: outcome
          ? flagOutcomeText(outcome)
          : 'not turned on: the window had ended before any run saw it',
      });
      return { flag: outcome, done: true };
    },
  );
  if (!done) return undefined;
  if (flag?.action === 'turned-on' || flag?.action === 'turned-off') ctx.flags.changed?.();
  return { flag: flag ? flagOutcomeText(flag) : 'not turned on' };
}

// The outbox's key makes the message exactly-once; the column records it so no run asks again.
async function queue(
  ctx: ServiceContext,
  w: MaintenanceWindow,
  step: 'notice' | 'reminder',
  notify: Notify,
  now: Date,
): Promise<Done | undefined> {
  const request = maintenanceNotification(w, step);
  const { queued } = await notify(request);
  const column = step === 'notice' ? 'notice_queued_at' : 'reminder_queued_at';
  const done = await ctx.transaction(async (repos) => {
    const marked = await repos.maintenance.updateIf(w.id, LIVE, { [column]: now, updated_at: now }, column);
    if (marked) await audit(repos, w, step, { key: request.key, queued });
    return marked !== undefined;
  });
  return done ? { queued } : undefined;
}

function audit(repos: Repos, w: MaintenanceWindow, step: MaintenanceStep, details: Record<string, unknown>) {
  return repos.audit.record({
    actor: MAINTENANCE_ACTOR,
    action: `maintenance.${step}`,
    target: windowLabel(w.id),
    details,
  });
}

/**
 * The scheduled job: for each live window, the notice (once, on the first run after scheduling)
 * and the reminder 24 h before to status subscribers, maintenance mode on at the start and off at
 * the end through the flags service. Each step is a conditional update with its audit row, so any
 * number of runs, on any instance, take it exactly once. Time is ctx.now().
 */
export async function runMaintenanceWindows({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { notify: Notify };
}): Promise<MaintenanceRunReport> {
  const report: MaintenanceRunReport = { actions: [], failures: [] };
  const windows = await ctx.repos.maintenance.list({ all: false, limit: 1000 });
  for (const w of windows) {
    const now = ctx.now();
    const steps = dueSteps(w, now).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    for (const step of steps) {
      try {
        const done =
          step === 'notice' || step === 'reminder'
            ? await queue(ctx, w, step, input.notify, now)
            : await changeStatus(ctx, w, step, now);
        if (done) report.actions.push({ window: windowLabel(w.id), step, ...done });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.log.warn({ err: error, window: windowLabel(w.id), step }, 'maintenance step failed');
        report.failures.push({ window: windowLabel(w.id), step, error: message });
      }
    }
  }
  return report;
}
