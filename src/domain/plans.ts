import { z } from 'zod';

/** Every tier Polaris knows; the database CHECKs the same list (test/schema checks they agree). */
export const Tier = z.enum([
  'free',
  'explorer',
  'navigator',
  'voyager',
  'crew',
  'fleet',
  'armada',
  'enterprise',
  'developer',
]);
export type Tier = z.infer<typeof Tier>;

/** A tier someone pays for: every one but free. */
export type PaidTier = Exclude<Tier, 'free'>;

export const BillingCycle = z.enum(['monthly', 'yearly']);
export type BillingCycle = z.infer<typeof BillingCycle>;

/** One tier of the catalog: prices in paise, blueprint limit per period (null = unlimited). */
export type Plan = {
  tier: Tier;
  name: string;
  /** Sold through self-serve checkout. */
  purchasable: boolean;
  /** Team tiers: price and limit are per seat, multiplied by the subscription's quantity. */
  perSeat: boolean;
  pricePaise: { monthly: number; yearly: number };
  blueprintLimit: number | null;
};

const inr = (rupees: number) => rupees * 100;

/**
 * The single source of tiers, prices and limits (original-polaris-findings §2, "current" column).
 * Yearly is ten times monthly. The database reads limits from plan_catalog, written from this list.
 */
export const PLANS: readonly Plan[] = [
  {
    tier: 'free',
    name: 'Free',
    purchasable: false,
    perSeat: false,
    pricePaise: { monthly: 0, yearly: 0 },
    blueprintLimit: 2,
  },
  {
    tier: 'explorer',
    name: 'Explorer',
    purchasable: true,
    perSeat: false,
    pricePaise: { monthly: inr(1_599), yearly: inr(15_990) },
    blueprintLimit: 5,
  },
  {
    tier: 'navigator',
    name: 'Navigator',
    purchasable: true,
    perSeat: false,
    pricePaise: { monthly: inr(3_499), yearly: inr(34_990) },
    blueprintLimit: 25,
  },
  {
    tier: 'voyager',
    name: 'Voyager',
    purchasable: true,
    perSeat: false,
    pricePaise: { monthly: inr(6_999), yearly: inr(69_990) },
    blueprintLimit: 50,
  },
  {
    tier: 'crew',
    name: 'Crew',
    purchasable: true,
    perSeat: true,
    pricePaise: { monthly: inr(1_999), yearly: inr(19_990) },
    blueprintLimit: 10,
  },
  {
    tier: 'fleet',
    name: 'Fleet',
    purchasable: true,
    perSeat: true,
    pricePaise: { monthly: inr(5_399), yearly: inr(53_990) },
    blueprintLimit: 30,
  },
  {
    tier: 'armada',
    name: 'Armada',
    purchasable: true,
    perSeat: true,
    pricePaise: { monthly: inr(10_899), yearly: inr(108_990) },
    blueprintLimit: 60,
  },
  {
    tier: 'enterprise',
    name: 'Enterprise',
    purchasable: false,
    perSeat: false,
    pricePaise: { monthly: inr(15_000), yearly: inr(150_000) },
    blueprintLimit: null,
  },
  {
    tier: 'developer',
    name: 'Developer',
    purchasable: false,
    perSeat: false,
    pricePaise: { monthly: 0, yearly: 0 },
    blueprintLimit: null,
  },
];

/** The catalog entry of a tier. */
export function planFor(tier: Tier): Plan {
  const plan = PLANS.find((p) => p.tier === tier);
  if (!plan) throw new Error(`no plan for tier ${tier}`);
  return plan;
}

/** Blueprints allowed per period for a tier and seat count; null means unlimited. */
export function blueprintLimit(tier: Tier, seats = 1): number | null {
  const plan = planFor(tier);
  if (plan.blueprintLimit === null) return null;
  return plan.perSeat ? plan.blueprintLimit * seats : plan.blueprintLimit;
}
