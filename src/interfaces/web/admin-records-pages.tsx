import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../http/app.ts';

/** /admin/incidents, /admin/users, /admin/audit and /admin/db (admins only). */
export function adminRecordsPages(_ctx: ServiceContext): RouteModule {
  return (_app) => {
    // Not built yet (issue 12): its pages land here.
  };
}
