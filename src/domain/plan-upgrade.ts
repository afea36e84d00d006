import { PLANS, type Plan, planFor, type Tier } from './plans.ts';

/** Where a user at their blueprint limit can go: the next self-serve plan, or the unlimited one. */
export type UpgradePath =
  | { kind: 'self-serve'; plan: Plan }
  | { kind: 'contact'; plan: Plan }
  | { kind: 'none' };

/**
 * The next plan up from `tier` in the catalog: the self-serve plan of the same kind (per seat or
 * not; free climbs the individual ladder) with the smallest limit above the current one; past
 * the top of a ladder, the unlimited plan that is not sold self-serve (Enterprise).
 */
export function nextPlanUp(tier: Tier): UpgradePath {
  const current = planFor(tier);
  if (current.blueprintLimit === null) return { kind: 'none' };
  const limit = current.blueprintLimit;
  const above = PLANS.filter(
    (p) =>
      p.purchasable && p.perSeat === current.perSeat && p.blueprintLimit !== null && p.blueprintLimit > limit,
  ).sort((a, b) => (a.blueprintLimit ?? 0) - (b.blueprintLimit ?? 0));
  if (above[0]) return { kind: 'self-serve', plan: above[0] };
  const unlimited = PLANS.find(
    (p) => !p.purchasable && p.blueprintLimit === null && p.pricePaise.monthly > 0,
  );
  return unlimited ? { kind: 'contact', plan: unlimited } : { kind: 'none' };
}
