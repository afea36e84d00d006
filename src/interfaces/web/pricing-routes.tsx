import { getUsage } from '../../services/blueprints/get-usage.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { listPlans } from '../../services/plans/list-plans.ts';
import { getCurrentSubscription } from '../../services/subscriptions/get-current-subscription.ts';
import type { RouteModule } from '../http/app.ts';
import { route } from '../http/routing.ts';
import { PricingPage, type VisitorView } from './pricing-page.tsx';

/** `/` and `/pricing`: the plans, and for a signed-in visitor their plan and a way to buy. */
export function pricingRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/', { GET: (c) => c.redirect('/pricing') });
    route(app, '/pricing', {
      GET: async (c) => {
        const caller = c.get('caller');
        const flags = await getFlags({ ctx });
        let visitor: VisitorView = null;
        if (caller && caller.email !== 'admin-token') {
          const [current, usage] = await Promise.all([
            getCurrentSubscription({ ctx, input: { userId: caller.userId } }),
            getUsage({ ctx, input: { userId: caller.userId } }),
          ]);
          visitor = {
            email: caller.email,
            tier: usage.tier,
            status: current.subscription?.status ?? null,
            used: usage.created,
            limit: usage.limit,
          };
        }
        return c.html(
          <PricingPage
            plans={listPlans()}
            visitor={visitor}
            checkoutScriptUrl={ctx.settings.checkoutScriptUrl}
            flags={flags}
          />,
        );
      },
    });
  };
}
