import { FLAG_NAMES, type FlagName, NORMAL_STATE } from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';
import { recordFlagMoves } from '../incidents/flag-timeline.ts';

/** The actor of a revert at expiry in audit_log and system_flags. */
export const EXPIRY_ACTOR = 'system:expiry';

/**
 * Returns each flag whose `--for` has run out to its normal state, audited as system:expiry.
 * Every instance may call this at once: the row lock and the expiry condition let exactly one
 * revert happen; the others find nothing to do. Returns the flags this call reverted. Servers and
 * workers call it from their flags watch (watch-flags.ts); a cron tick may call it with no input.
 */
export async function revertExpiredFlags({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { names?: readonly FlagName[] | undefined };
}): Promise<FlagName[]> {
  const reverted: FlagName[] = [];
  for (const name of input.names ?? FLAG_NAMES) {
    const now = ctx.now();
    const done = await ctx.transaction(async (repos) => {
      const expired = await repos.flags.lockExpired(name, now);
      if (!expired) return false;
      const to = NORMAL_STATE[name];
      const reason =
        `expired at ${expired.expiresAt?.toISOString()} (set by ${expired.actor}: ${expired.reason})`.slice(
          0,
          500,
        );
      await repos.flags.set(name, {
        state: to,
        message: null,
        reason,
        actor: EXPIRY_ACTOR,
        setAt: now,
        expiresAt: null,
      });
      await repos.audit.record({
        actor: EXPIRY_ACTOR,
        action: 'flag.expire',
        target: name,
        reason,
        details: { from: expired.state, to, expiredAt: expired.expiresAt?.toISOString() ?? null },
      });
      const moves = [{ name, from: expired.state, to }];
      await recordFlagMoves(repos, { moves, reason, actor: EXPIRY_ACTOR, at: now });
      return true;
    });
    if (done) reverted.push(name);
  }
  if (reverted.length > 0) ctx.flags.changed?.();
  return reverted;
}
