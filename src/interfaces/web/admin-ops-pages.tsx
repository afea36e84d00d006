import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../http/app.ts';

/** /admin overview, /admin/webhooks and /admin/flags (admins only). */
export function adminOpsPages(_ctx: ServiceContext): RouteModule {
  return (_app) => {
    // Not built yet (issue 12): its pages land here.
  };
}
