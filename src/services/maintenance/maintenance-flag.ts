import type { Repos } from '../../adapters/db/repos.ts';
import { normalFlag, type StoredFlag } from '../../domain/flags.ts';
import { MAINTENANCE_ACTOR, type MaintenanceWindow, windowLabel } from '../../domain/maintenance.ts';
import { recordFlagChange } from '../flags/set-flag.ts';

/** What a window did to maintenance mode, and who holds it when it left it alone. */
export type FlagOutcome =
  | { action: 'turned-on' | 'turned-off' | 'already-off' }
  | { action: 'already-on' | 'left-on'; setBy: string; reason: string };

const ownReason = (w: Pick<MaintenanceWindow, 'id'>) => `${windowLabel(w.id)}:`;

// The window holds the mode only while the row is still the one it wrote: an operator who set
// maintenance by hand since (on, off, another message or expiry) owns it from then on.
const heldBy = (flag: StoredFlag, w: Pick<MaintenanceWindow, 'id'>) =>
  flag.state === 'on' && flag.actor === MAINTENANCE_ACTOR && flag.reason.startsWith(ownReason(w));

async function lockMaintenance(repos: Repos): Promise<StoredFlag> {
  return (await repos.flags.lockAll()).find((f) => f.name === 'maintenance') ?? normalFlag('maintenance');
}

/**
 * Turns maintenance on for the window until its end (the flag's expiry, so the mode ends on time
 * even with no scheduler running), inside the caller's transaction. A mode already on, set by
 * someone else, is left as it is and the window will not turn it off.
 */
export async function turnMaintenanceOn(repos: Repos, w: MaintenanceWindow, now: Date): Promise<FlagOutcome> {
  const previous = await lockMaintenance(repos);
  const expired = previous.expiresAt !== null && previous.expiresAt.getTime() <= now.getTime();
  if (previous.state === 'on' && !expired) {
    return { action: 'already-on', setBy: previous.actor, reason: previous.reason };
  }
  const write = {
    state: 'on' as const,
    message: w.message,
    reason: `${ownReason(w)} scheduled maintenance until ${w.endsAt.toISOString()}`,
    actor: MAINTENANCE_ACTOR,
    setAt: now,
    expiresAt: w.endsAt,
  };
  await recordFlagChange(repos, { name: 'maintenance', previous, write });
  return { action: 'turned-on' };
}

/**
 * Turns maintenance off if this window still holds it (see heldBy), inside the caller's
 * transaction, as `actor` with `reason`; otherwise says who holds it, or that it is off already.
 */
export async function releaseMaintenance(
  repos: Repos,
  w: MaintenanceWindow,
  change: { actor: string; reason: string; now: Date },
): Promise<FlagOutcome> {
  const previous = await lockMaintenance(repos);
  if (previous.state === 'off') return { action: 'already-off' };
  if (!heldBy(previous, w)) return { action: 'left-on', setBy: previous.actor, reason: previous.reason };
  const write = {
    state: 'off' as const,
    message: null,
    reason: `${ownReason(w)} ${change.reason}`.slice(0, 500),
    actor: change.actor,
    setAt: change.now,
    expiresAt: null,
  };
  await recordFlagChange(repos, { name: 'maintenance', previous, write });
  return { action: 'turned-off' };
}

/** The outcome as audit details and one line for people. */
export function flagOutcomeText(outcome: FlagOutcome): string {
  switch (outcome.action) {
    case 'turned-on':
      return 'maintenance mode turned on';
    case 'turned-off':
      return 'maintenance mode turned off';
    case 'already-off':
      return 'maintenance mode was already off';
    case 'already-on':
      return `maintenance mode was already on (set by ${outcome.setBy}: ${outcome.reason}); left as it is`;
    case 'left-on':
      return `maintenance mode left on: set by ${outcome.setBy} (${outcome.reason})`;
  }
}
