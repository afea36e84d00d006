import { effectiveFlags, type FlagsView } from '../../domain/flags.ts';
import type { ServiceContext } from '../context.ts';

/**
 * Every flag as it acts now on this instance: the stored rows as this process knows them, an
 * expiry that has passed applied even before it is written back, and PAYMENTS_ENABLED=false
 * winning over the stored payments flag. `flags` lists them in order (one line for a gauge).
 */
export async function getFlags({
  ctx,
}: {
  ctx: Pick<ServiceContext, 'flags' | 'settings' | 'now'>;
}): Promise<FlagsView> {
  return effectiveFlags(await ctx.flags.stored(), {
    paymentsEnvOff: !ctx.settings.paymentsEnabled,
    now: ctx.now(),
  });
}
