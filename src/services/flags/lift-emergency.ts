import { FLAG_NAMES, NORMAL_STATE } from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { recordFlagMoves } from '../incidents/flag-timeline.ts';
import type { FlagMove } from './emergency-shutdown.ts';
import { requiredReason } from './flag-input.ts';

/** The modes lift reversed, and the open incidents whose timeline now says so. */
export type LiftOutcome = { changes: FlagMove[]; incidents: string[] };

/**
 * `polaris emergency lift`: every active mode back to its normal state in one transaction, one
 * audit_log row per mode reversed, and a timeline entry on each open incident (none is resolved).
 * PAYMENTS_ENABLED=false still holds payments off after it.
 */
export async function liftEmergency({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { reason?: string | undefined; actor: string };
}): Promise<LiftOutcome> {
  const reason = requiredReason(input.reason);
  const setAt = ctx.now();
  const outcome = await ctx.transaction(async (repos) => {
    const changes: FlagMove[] = [];
    const stored = await repos.flags.lockAll();
    stored.sort((a, b) => FLAG_NAMES.indexOf(a.name) - FLAG_NAMES.indexOf(b.name));
    for (const flag of stored) {
      const to = NORMAL_STATE[flag.name];
      if (flag.state === to) continue;
      changes.push({ name: flag.name, from: flag.state, to });
      const write = { state: to, message: null, reason, actor: input.actor, setAt, expiresAt: null };
      await repos.flags.set(flag.name, write);
    }
    await repos.audit.record(
      ...changes.map((change) => ({
        actor: input.actor,
        action: 'flag.set',
        target: change.name,
        reason,
        details: { from: change.from, to: change.to, via: 'emergency.lift' },
      })),
    );
    // The incident stays open: a person resolves it once service is confirmed.
    const incidents =
      changes.length === 0
        ? []
        : await recordFlagMoves(repos, {
            moves: changes,
            reason,
            actor: input.actor,
            at: setAt,
            heading: 'emergency lifted',
          });
    return { changes, incidents };
  });
  ctx.flags.changed?.();
  return outcome;
}
