import { AppError } from '../../domain/errors.ts';
import { planFor, Tier } from '../../domain/plans.ts';
import type { ServiceContext } from '../context.ts';
import { type BlueprintView, toBlueprintView } from './blueprint-view.ts';

/** The refusal at the limit: how much was used, on which plan, and where to upgrade. */
async function quotaExceeded(ctx: ServiceContext, userId: string): Promise<AppError> {
  const stats = await ctx.repos.blueprints.stats(userId);
  const tier = Tier.safeParse(stats.subscription_tier);
  const name = tier.success ? planFor(tier.data).name : stats.subscription_tier;
  const used = `You have used ${stats.blueprints_created} of ${stats.blueprint_limit ?? 'unlimited'} blueprints`;
  const message =
    stats.period_end === null
      ? `${used} on the ${name} plan; upgrade at /pricing`
      : `${used} this period on the ${name} plan; upgrade at /pricing or wait for the next period on ${stats.period_end.toISOString().slice(0, 10)}`;
  return new AppError('forbidden', message, { upgradeUrl: '/pricing' });
}

// PostgreSQL data exceptions (class 22): the client's content cannot be stored, e.g. a \u0000 in it.
const isDataError = (error: unknown) => /^22/.test(String((error as { code?: unknown })?.code ?? ''));

/**
 * Stores a blueprint within the user's quota: the reservation of one creation (the profile row is
 * locked, so two requests at the last unit cannot both pass) and the insert commit together, so no
 * reader ever sees a counted creation without its blueprint. Never calls Razorpay, so it keeps
 * working while payments are down.
 */
export async function createBlueprint({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; title: string; content: unknown };
}): Promise<BlueprintView> {
  let row: Awaited<ReturnType<ServiceContext['repos']['blueprints']['insert']>> | undefined;
  try {
    row = await ctx.transaction(async (repos) => {
      const reservation = await repos.blueprints.reserveCreation(input.userId);
      if (!reservation.allowed) return undefined;
      return repos.blueprints.insert(input);
    });
  } catch (error) {
    ctx.log.warn({ userId: input.userId, err: error }, 'blueprint not stored; its quota unit was not used');
    if (isDataError(error)) {
      throw new AppError(
        'bad_request',
        'the blueprint content cannot be stored (it contains a \\u0000 or an invalid value)',
      );
    }
    throw error;
  }
  if (!row) throw await quotaExceeded(ctx, input.userId);
  return toBlueprintView(row);
}
