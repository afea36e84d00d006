import type { Context } from 'hono';
import { quotePlan, yearlySavingPaise } from '../../domain/plan-quote.ts';
import { BillingCycle, planFor, Tier } from '../../domain/plans.ts';
import { getUsage } from '../../services/blueprints/get-usage.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { listPlans } from '../../services/plans/list-plans.ts';
import { getCurrentSubscription } from '../../services/subscriptions/get-current-subscription.ts';
import type { RouteModule } from '../http/app.ts';
import type { AppEnv } from '../http/env.ts';
import { route } from '../http/routing.ts';
import { pricingApi } from './pricing-api.ts';
import type { Buyer, CardView } from './pricing-cards.tsx';
import { PricingPage, type VisitorView } from './pricing-page.tsx';
import { quoteText } from './pricing-text.ts';

// Every tier is shown (the smoke run checks each name); those not sold online say so.
const SHOWN = listPlans();
// Every tier's yearly price is the same number of monthly ones; navigator stands for them all.
const REFERENCE = planFor('navigator');
const MONTHS_SAVED = Math.round(yearlySavingPaise(REFERENCE) / REFERENCE.pricePaise.monthly);

/** The cards for a cycle and the seats asked for (`?seats-<tier>=`), each priced by the checkout's own rule. */
function cardsFor(
  c: Context<AppEnv>,
  cycle: BillingCycle,
  currentTier: string | null,
  chosen: string | null,
) {
  let bad = false;
  const cards = SHOWN.map((plan): CardView => {
    const asked = plan.perSeat ? c.req.query(`seats-${plan.tier}`) : undefined;
    const wanted = asked === undefined || asked === '' ? 1 : Number(asked);
    let quoted = plan.purchasable ? quotePlan({ tier: plan.tier, cycle, seats: wanted }) : null;
    let seatsError: string | null = null;
    if (quoted && !quoted.ok) {
      seatsError = quoted.error.message.replace(/^seats: /, 'Seats ');
      quoted = quotePlan({ tier: plan.tier, cycle, seats: 1 });
      bad = true;
    }
    const quote = quoted?.ok ? quoted.value : null;
    return {
      plan,
      quote: quote ? quoteText(quote, plan.perSeat) : null,
      seats: quote?.seats ?? 1,
      seatsError,
      savingPaise: plan.purchasable ? yearlySavingPaise(plan) : 0,
      current: plan.tier === currentTier,
      chosen: plan.tier === chosen,
    };
  });
  return { cards, bad };
}

/** `/` and `/pricing`: the plans, and for a signed-in visitor their plan and a way to buy. */
export function pricingRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    pricingApi(ctx)(app);
    route(app, '/', { GET: (c) => c.redirect('/pricing') });
    route(app, '/pricing', {
      GET: async (c) => {
        const caller = c.get('caller');
        const flags = await getFlags({ ctx });
        let visitor: VisitorView = null;
        let ownCycle: BillingCycle | null = null;
        if (caller && caller.email !== 'admin-token') {
          const [current, usage] = await Promise.all([
            getCurrentSubscription({ ctx, input: { userId: caller.userId } }),
            getUsage({ ctx, input: { userId: caller.userId } }),
          ]);
          ownCycle = current.subscription?.cycle ?? null;
          visitor = {
            email: caller.email,
            tier: usage.tier,
            status: current.subscription?.status ?? null,
            used: usage.created,
            limit: usage.limit,
          };
        }
        // Unknown values in the query fall back to the defaults: a page never fails on a stale link.
        const cycle = BillingCycle.safeParse(c.req.query('cycle')).data ?? ownCycle ?? 'monthly';
        const chosen = Tier.safeParse(c.req.query('plan')).data ?? null;
        const { cards, bad } = cardsFor(c, cycle, visitor?.tier ?? null, chosen);
        const buyer: Buyer = visitor ? 'person' : caller ? 'none' : 'visitor';
        const page = (
          <PricingPage
            caller={caller}
            cards={cards}
            cycle={cycle}
            monthsSaved={MONTHS_SAVED}
            visitor={visitor}
            buyer={buyer}
            checkoutScriptUrl={ctx.settings.checkoutScriptUrl}
            flags={flags}
          />
        );
        return c.html(`<!doctype html>${page}`, bad ? 400 : 200);
      },
    });
  };
}
