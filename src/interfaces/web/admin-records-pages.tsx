import type { ServiceContext } from '../../services/context.ts';
import type { RouteModule } from '../http/app.ts';
import { adminAuditWeb } from './admin-audit-routes.tsx';
import { adminDbWeb } from './admin-db-routes.tsx';
import { adminIncidentsWeb } from './admin-incidents-routes.tsx';
import { adminUsersWeb } from './admin-users-routes.tsx';

/** /admin/incidents, /admin/users, /admin/audit and /admin/db (admins only). */
export function adminRecordsPages(ctx: ServiceContext): RouteModule {
  const modules = [adminIncidentsWeb(ctx), adminUsersWeb(ctx), adminAuditWeb(ctx), adminDbWeb(ctx)];
  return (app) => {
    for (const register of modules) register(app);
  };
}
