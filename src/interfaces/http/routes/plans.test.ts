import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../adapters/logger.ts';
import { PLANS } from '../../../domain/plans.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { createHttpApp } from '../app.ts';
import { plansRoutes } from './plans.ts';

describe('GET /api/plans', () => {
  const app = createHttpApp({
    log: createLogger('silent'),
    readiness: async () => ({ ok: true, checks: {} }),
    // The catalog route reads no service state.
    routes: [plansRoutes({} as ServiceContext)],
  });

  it('answers anonymously with every tier, prices in paise per cycle, the per-seat flag and limits', async () => {
    const res = await app.request('/api/plans');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { currency: string; plans: Record<string, unknown>[] };
    expect(body.currency).toBe('INR');
    expect(body.plans.map((p) => p.tier)).toEqual(PLANS.map((p) => p.tier));
    expect(body.plans.find((p) => p.tier === 'navigator')).toEqual({
      tier: 'navigator',
      name: 'Navigator',
      purchasable: true,
      perSeat: false,
      currency: 'INR',
      pricePaise: { monthly: 349_900, yearly: 3_499_000 },
      blueprintLimit: 25,
    });
    expect(body.plans.find((p) => p.tier === 'crew')).toMatchObject({ perSeat: true, blueprintLimit: 10 });
    expect(body.plans.find((p) => p.tier === 'free')).toMatchObject({
      purchasable: false,
      blueprintLimit: 2,
    });
    expect(body.plans.find((p) => p.tier === 'developer')).toMatchObject({ blueprintLimit: null });
  });

  it('refuses other methods with 405', async () => {
    expect((await app.request('/api/plans', { method: 'POST' })).status).toBe(405);
  });
});
