import { AppError } from '../../domain/errors.ts';
import { type MaintenanceWindow, parseWindowId, windowLabel } from '../../domain/maintenance.ts';
import type { ServiceContext } from '../context.ts';
import { type FlagOutcome, flagOutcomeText, releaseMaintenance } from './maintenance-flag.ts';

/** The window cancelled and what happened to maintenance mode; unconfirmed, what would be cancelled. */
export type CancelOutcome =
  | { confirmed: false; window: MaintenanceWindow }
  | { confirmed: true; window: MaintenanceWindow; flag: FlagOutcome | null };

function checkLive(w: MaintenanceWindow | undefined, id: string): MaintenanceWindow {
  if (!w) throw new AppError('not_found', `no maintenance window ${windowLabel(id)}`);
  if (w.status === 'completed' || w.status === 'cancelled') {
    throw new AppError('conflict', `${windowLabel(w.id)} is already ${w.status}`);
  }
  return w;
}

/**
 * `polaris maintenance cancel <id>`: a scheduled or in-progress window becomes cancelled with its
 * audit row; an in-progress one also turns maintenance off, unless an operator holds the mode by
 * hand. Without `confirmed` it only says what it would cancel.
 */
export async function cancelMaintenance({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string; reason?: string | undefined; actor: string; confirmed: boolean };
}): Promise<CancelOutcome> {
  const id = parseWindowId(input.id);
  const reason = input.reason?.trim() || null;
  if (reason !== null && reason.length > 500)
    throw new AppError('bad_request', 'reason: at most 500 characters');
  if (!input.confirmed)
    return { confirmed: false, window: checkLive(await ctx.repos.maintenance.find(id), id) };
  const now = ctx.now();
  const outcome = await ctx.transaction(async (repos) => {
    const before = checkLive(await repos.maintenance.find(id), id);
    const changes = {
      status: 'cancelled' as const,
      ended_at: now,
      cancelled_by: input.actor,
      updated_at: now,
    };
    const window = await repos.maintenance.updateIf(id, before.status, changes);
    if (!window) throw new AppError('conflict', `${windowLabel(id)} changed meanwhile; look again`);
    const flag =
      before.status === 'in_progress'
        ? await releaseMaintenance(repos, window, {
            actor: input.actor,
            reason: `window cancelled${reason ? `: ${reason}` : ''}`,
            now,
          })
        : null;
    await repos.audit.record({
      actor: input.actor,
      action: 'maintenance.cancel',
      target: windowLabel(id),
      reason,
      details: { was: before.status, flag: flag && flagOutcomeText(flag) },
    });
    return { confirmed: true as const, window, flag };
  });
  if (outcome.flag?.action === 'turned-off') ctx.flags.changed?.();
  return outcome;
}
