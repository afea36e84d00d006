import { describe, expect, it } from 'vitest';
import { nextPlanUp } from './plan-upgrade.ts';

const named = (tier: Parameters<typeof nextPlanUp>[0]) => {
  const up = nextPlanUp(tier);
  return up.kind === 'none' ? 'none' : `${up.kind}:${up.plan.tier}`;
};

describe('nextPlanUp: the plan to suggest at the blueprint limit', () => {
  it('climbs the individual ladder from free, and the per-seat ladder from crew', () => {
    expect(['free', 'explorer', 'navigator', 'crew', 'fleet'].map((t) => named(t as 'free'))).toEqual([
      'self-serve:explorer',
      'self-serve:navigator',
      'self-serve:voyager',
      'self-serve:fleet',
      'self-serve:armada',
    ]);
  });

  it('points the top of each ladder at Enterprise, and has nothing above an unlimited plan', () => {
    expect(named('voyager')).toBe('contact:enterprise');
    expect(named('armada')).toBe('contact:enterprise');
    expect(named('enterprise')).toBe('none');
    expect(named('developer')).toBe('none');
  });
});
