import { PLANS, type Tier } from '../../domain/plans.ts';

/** One tier as the pricing page and API clients see it. */
export type PublicPlan = {
  tier: Tier;
  name: string;
  purchasable: boolean;
  perSeat: boolean;
  currency: 'INR';
  /** Paise per cycle; per seat for team tiers. */
  pricePaise: { monthly: number; yearly: number };
  /** Blueprints per period (per seat for team tiers); null is unlimited. */
  blueprintLimit: number | null;
};

/** The public catalog: every tier with its prices in paise and limits, straight from domain/plans.ts. */
export function listPlans(): PublicPlan[] {
  return PLANS.map((p) => ({
    tier: p.tier,
    name: p.name,
    purchasable: p.purchasable,
    perSeat: p.perSeat,
    currency: 'INR',
    pricePaise: { ...p.pricePaise },
    blueprintLimit: p.blueprintLimit,
  }));
}
