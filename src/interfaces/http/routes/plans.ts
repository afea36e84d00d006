import type { ServiceContext } from '../../../services/context.ts';
import { listPlans } from '../../../services/plans/list-plans.ts';
import type { RouteModule } from '../app.ts';
import { route } from '../routing.ts';

/** GET /api/plans (public): tiers, names, prices in paise per cycle, the per-seat flag and limits. */
export function plansRoutes(_ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/api/plans', {
      GET: (c) => {
        c.header('Cache-Control', 'public, max-age=300');
        return c.json({ currency: 'INR', plans: listPlans() });
      },
    });
  };
}
