import { AppError, type Result } from './errors.ts';
import { type BillingCycle, type PaidTier, type Plan, planFor, type Tier } from './plans.ts';

/** The most seats one subscription may carry. */
export const MAX_SEATS = 1000;

/** What the server charges for a tier, cycle and seat count, per cycle, in paise. */
export type PlanQuote = {
  tier: PaidTier;
  cycle: BillingCycle;
  seats: number;
  /** One seat's price (the plan's price for tiers without seats). */
  unitPaise: number;
  /** What each cycle charges: the unit price times the seats. */
  amountPaise: number;
};

/**
 * The price of a plan as checkout charges it; a tier not sold through checkout, seats on a tier
 * without seats, or a seat count out of range is a bad_request naming the field.
 */
export function quotePlan(input: {
  tier: Tier;
  cycle: BillingCycle;
  seats?: number | undefined;
}): Result<PlanQuote> {
  const plan = planFor(input.tier);
  if (input.tier === 'free' || !plan.purchasable) {
    return refuse(`tier: ${input.tier} cannot be bought through checkout`);
  }
  const seats = input.seats ?? 1;
  if (!plan.perSeat && seats !== 1) {
    return refuse(`seats: only team tiers (crew, fleet, armada) take seats; ${input.tier} is 1`);
  }
  if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS) {
    return refuse(`seats: must be a whole number from 1 to ${MAX_SEATS}`);
  }
  const unitPaise = plan.pricePaise[input.cycle];
  return {
    ok: true,
    value: { tier: input.tier, cycle: input.cycle, seats, unitPaise, amountPaise: unitPaise * seats },
  };
}

/** What a year costs less when paid yearly than as twelve monthly charges, in paise (per seat). */
export function yearlySavingPaise(plan: Pick<Plan, 'pricePaise'>): number {
  return Math.max(0, plan.pricePaise.monthly * 12 - plan.pricePaise.yearly);
}

const refuse = (message: string): Result<PlanQuote> => ({
  ok: false,
  error: new AppError('bad_request', message),
});
