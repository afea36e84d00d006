import type { ServiceContext } from '../context.ts';

/** The caller's blueprint usage in the current period. */
export type Usage = {
  tier: string;
  created: number;
  saved: number;
  /** null: unlimited. */
  limit: number | null;
  remaining: number | null;
  /** null start: the free tier's lifetime allowance. */
  periodStart: string | null;
  periodEnd: string | null;
};

/** Usage from calculate_user_blueprint_stats (limits from the catalog, team tiers per seat). */
export async function getUsage({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string };
}): Promise<Usage> {
  const s = await ctx.repos.blueprints.stats(input.userId);
  return {
    tier: s.subscription_tier,
    created: s.blueprints_created,
    saved: s.blueprints_saved,
    limit: s.blueprint_limit,
    remaining: s.blueprints_remaining,
    periodStart: s.period_start?.toISOString() ?? null,
    periodEnd: s.period_end?.toISOString() ?? null,
  };
}
