import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../http/app.ts';
import { accountPages } from './account-pages.tsx';
import { adminOpsPages } from './admin-ops-pages.tsx';
import { adminRecordsPages } from './admin-records-pages.tsx';
import { authPages } from './auth-pages.tsx';
import { blueprintPages } from './blueprint-pages.tsx';
import { pricingRoutes } from './pricing-routes.tsx';

/** Every server-rendered page (the status page is served by routes/status.ts). */
export function webRoutes(ctx: ServiceContext): RouteModule {
  const modules = [
    pricingRoutes(ctx),
    authPages(ctx),
    accountPages(ctx),
    blueprintPages(ctx),
    adminOpsPages(ctx),
    adminRecordsPages(ctx),
  ];
  return (app) => {
    for (const register of modules) register(app);
  };
}
