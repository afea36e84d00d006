import {
  FLAG_NAMES,
  type FlagName,
  type FlagState,
  NORMAL_STATE,
  normalFlag,
  type StoredFlag,
} from '../../domain/flags.ts';
import { type Component, EMERGENCY_RULE_KEY, type Incident, incidentLabel } from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';
import { recordFlagMoves } from '../incidents/flag-timeline.ts';
import { recordOpenIncident } from '../incidents/open-incident.ts';
import { optionalMessage, requiredReason } from './flag-input.ts';

/** One flag an emergency command moved (or found already there). */
export type FlagMove = { name: FlagName; from: FlagState; to: FlagState };

/** What the shutdown did, and the critical incident it opened (or found already open). */
export type ShutdownOutcome = {
  changes: FlagMove[];
  flags: StoredFlag[];
  incident: Incident;
  incidentOpened: boolean;
};

const DEFAULT_MESSAGE = 'emergency shutdown in progress';
// A shutdown stops checkouts (payments off) and every non-webhook write (maintenance, read-only).
const SHUT_COMPONENTS: Component[] = ['checkout', 'api', 'web'];

/**
 * `polaris emergency shutdown`: payments off, maintenance on and read-only on in one transaction,
 * with one audit_log row and a critical incident (reused while one is open); any expiry is
 * cleared, so the modes hold until lifted.
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
    const open = await repos.incidents.findOpenByRule(EMERGENCY_RULE_KEY);
    const incident =
      open ??
      (await recordOpenIncident(repos, {
        severity: 'critical',
        type: 'infrastructure',
        title: `Emergency shutdown: ${reason}`.slice(0, 200),
        components: SHUT_COMPONENTS,
        commander: null,
        ruleKey: EMERGENCY_RULE_KEY,
        openedBy: input.actor,
        startedAt: setAt,
        detectedAt: setAt,
      }));
    const heading = 'emergency shutdown';
    await recordFlagMoves(repos, {
      moves: changes,
      reason,
      actor: input.actor,
      at: setAt,
      heading,
      kind: 'emergency',
    });
    await repos.audit.record({
      actor: input.actor,
      action: 'emergency.shutdown',
      target: 'system_flags',
      reason,
      details: { changes, message, incident: incidentLabel(incident.id), incidentOpened: !open },
    });
    return { changes, flags, incident, incidentOpened: !open };
  });
  ctx.flags.changed?.();
  return outcome;
}
