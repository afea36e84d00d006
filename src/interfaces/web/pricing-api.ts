import type { Hono } from 'hono';
import { z } from 'zod';
import { quotePlan } from '../../domain/plan-quote.ts';
import { BillingCycle, planFor, Tier } from '../../domain/plans.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import type { AppEnv } from '../http/env.ts';
import { route } from '../http/routing.ts';
import { queryOf } from '../http/validate.ts';
import { bannerLines, canBuy } from './mode-banner.tsx';
import { quoteText } from './pricing-text.ts';

/** The public modes endpoint pages poll (kept out of the request log like the status polls). */
export const MODES_PATH = '/api/modes';

const QuoteQuery = z.strictObject({
  tier: Tier,
  cycle: BillingCycle,
  seats: z.coerce.number().int('must be a whole number').optional(),
});

/**
 * GET /api/modes: which kill switches are active and their public messages (never the reason or
 * who set it), the banner lines and whether buying is open. GET /api/plans/quote: the server's
 * price for a tier, cycle and seat count, with the words the pricing page prints.
 */
export function pricingApi(ctx: ServiceContext) {
  return (app: Hono<AppEnv>) => {
    route(app, MODES_PATH, {
      GET: async (c) => {
        const flags = await getFlags({ ctx });
        const mode = (name: 'payments' | 'maintenance' | 'read_only') => ({
          active: flags.byName[name].active,
          message: flags.byName[name].active ? flags.byName[name].message : null,
        });
        c.header('Cache-Control', 'no-store');
        return c.json({
          payments: mode('payments'),
          maintenance: mode('maintenance'),
          read_only: mode('read_only'),
          can_buy: canBuy(flags),
          banner: bannerLines(flags, true),
        });
      },
    });
    route(app, '/api/plans/quote', {
      GET: (c) => {
        const query = queryOf(c, QuoteQuery);
        const quoted = quotePlan(query);
        if (!quoted.ok) throw quoted.error;
        c.header('Cache-Control', 'public, max-age=300');
        return c.json({ quote: quoted.value, text: quoteText(quoted.value, planFor(query.tier).perSeat) });
      },
    });
  };
}
