import { z } from 'zod';
import type { ServiceContext } from '../../../services/context.ts';
import { cancelMaintenance } from '../../../services/maintenance/cancel-maintenance.ts';
import { listMaintenanceWindows } from '../../../services/maintenance/list-maintenance.ts';
import { scheduleMaintenance } from '../../../services/maintenance/schedule-maintenance.ts';
import type { RouteModule } from '../app.ts';
import { route } from '../routing.ts';
import { requireAdmin } from '../session.ts';
import { jsonBody, queryOf } from '../validate.ts';

// Shapes only; the services say what is wrong with a value (times, overlap, components, id).
const ScheduleBody = z.strictObject({
  start: z.string(),
  end: z.string(),
  message: z.string(),
  components: z.array(z.string()).max(10).optional(),
  notify: z.boolean().optional(),
});
const CancelBody = z.strictObject({ reason: z.string().optional() });
const ListQuery = z.strictObject({
  all: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * /api/admin/maintenance: list and schedule windows, and cancel one, for an admin session or
 * ADMIN_TOKEN. Operator writes like the flags (flag-guard.ts): they pass maintenance and read-only.
 */
export function adminMaintenanceRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/api/admin/maintenance', {
      GET: async (c) => {
        requireAdmin(c);
        const query = queryOf(c, ListQuery);
        c.header('Cache-Control', 'no-store');
        const windows = await listMaintenanceWindows({
          ctx,
          input: { all: query.all === 'true', limit: query.limit },
        });
        return c.json({ windows });
      },
      POST: async (c) => {
        const caller = requireAdmin(c);
        const body = await jsonBody(c, ScheduleBody);
        const window = await scheduleMaintenance({ ctx, input: { ...body, actor: caller.email } });
        return c.json({ window }, 201);
      },
    });
    route(app, '/api/admin/maintenance/:id/cancel', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const body = await jsonBody(c, CancelBody);
        const id = c.req.param('id') ?? '';
        const outcome = await cancelMaintenance({
          ctx,
          input: { id, reason: body.reason, actor: caller.email, confirmed: true },
        });
        return c.json(outcome);
      },
    });
  };
}
