import { describe, expect, it } from 'vitest';
import { MAX_SEATS, quotePlan, yearlySavingPaise } from './plan-quote.ts';
import { planFor } from './plans.ts';

describe('quotePlan: the price checkout charges', () => {
  it('multiplies a team tier by its seats and keeps other tiers at one seat', () => {
    expect(quotePlan({ tier: 'crew', cycle: 'yearly', seats: 5 })).toEqual({
      ok: true,
      value: { tier: 'crew', cycle: 'yearly', seats: 5, unitPaise: 1_999_000, amountPaise: 9_995_000 },
    });
    const navigator = quotePlan({ tier: 'navigator', cycle: 'monthly' });
    expect(navigator.ok && navigator.value.amountPaise).toBe(349_900);
  });

  it.each([
    [{ tier: 'free', cycle: 'monthly' }, 'tier: free cannot be bought through checkout'],
    [{ tier: 'enterprise', cycle: 'yearly' }, 'tier: enterprise cannot be bought through checkout'],
    [{ tier: 'navigator', cycle: 'monthly', seats: 2 }, 'seats: only team tiers'],
    [{ tier: 'crew', cycle: 'monthly', seats: 0 }, 'seats: must be a whole number from 1 to 1000'],
    [{ tier: 'crew', cycle: 'monthly', seats: MAX_SEATS + 1 }, 'seats: must be a whole number'],
    [{ tier: 'crew', cycle: 'monthly', seats: 1.5 }, 'seats: must be a whole number'],
  ] as const)('refuses %j as bad_request naming the field', (input, message) => {
    const quoted = quotePlan(input);
    expect(quoted.ok).toBe(false);
    if (!quoted.ok) {
      expect(quoted.error.code).toBe('bad_request');
      expect(quoted.error.message).toContain(message);
    }
  });

  it('a yearly plan saves two months of the monthly price', () => {
    expect(yearlySavingPaise(planFor('navigator'))).toBe(349_900 * 2);
    expect(yearlySavingPaise(planFor('free'))).toBe(0);
  });
});
