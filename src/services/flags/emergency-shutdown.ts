import {
  FLAG_NAMES,
  type FlagName,
  type FlagState,
  NORMAL_STATE,
  normalFlag,
  type StoredFlag,
} from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { optionalMessage, requiredReason } from './flag-input.ts';

/** One flag an emergency command moved (or found already there). */
export type FlagMove = { name: FlagName; from: FlagState; to: FlagState };

/** What the shutdown did; incidents do not exist yet, so none was opened. */
export type ShutdownOutcome = { changes: FlagMove[]; flags: StoredFlag[]; incidentOpened: false };

const DEFAULT_MESSAGE = 'emergency shutdown in progress';
/** Said wherever the shutdown is reported, until incidents exist (DESIGN §10). */
export const NO_INCIDENT_NOTE =
  'did NOT open a Critical incident: incidents do not exist in Polaris yet; open one by hand and notify people';

/**
 * `polaris emergency shutdown`: payments off, maintenance on and read-only on in one transaction,
 * with one audit_log row; any expiry is cleared, so the modes hold until lifted.
 */
export async function emergencyShutdown({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { reason?: string | undefined; message?: string | undefined; actor: string };
}): Promise<ShutdownOutcome> {
  const reason = requiredReason(input.reason);
  const message = optionalMessage(input.message) ?? DEFAULT_MESSAGE;
  const setAt = ctx.now();
  const outcome = await ctx.transaction(async (repos) => {
    const before = await repos.flags.lockAll();
    const changes: FlagMove[] = [];
    const flags: StoredFlag[] = [];
    for (const name of FLAG_NAMES) {
      const from = (before.find((f) => f.name === name) ?? normalFlag(name)).state;
      const to: FlagState = NORMAL_STATE[name] === 'on' ? 'off' : 'on';
      changes.push({ name, from, to });
      flags.push(
        await repos.flags.set(name, {
          state: to,
          message,
          reason,
          actor: input.actor,
          setAt,
          expiresAt: null,
        }),
      );
    }
    await repos.audit.record({
      actor: input.actor,
      action: 'emergency.shutdown',
      target: 'system_flags',
      reason,
      details: { changes, message, incident: NO_INCIDENT_NOTE },
    });
    return { changes, flags, incidentOpened: false as const };
  });
  ctx.flags.changed?.();
  return outcome;
}
