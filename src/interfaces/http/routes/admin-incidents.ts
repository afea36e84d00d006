import { z } from 'zod';
import type { ServiceContext } from '../../../services/context.ts';
import { ackIncident } from '../../../services/incidents/ack-incident.ts';
import { addIncidentNote } from '../../../services/incidents/add-note.ts';
import { listIncidents } from '../../../services/incidents/list-incidents.ts';
import { openIncident } from '../../../services/incidents/open-incident.ts';
import { resolveIncident } from '../../../services/incidents/resolve-incident.ts';
import { showIncident } from '../../../services/incidents/show-incident.ts';
import { updateIncident } from '../../../services/incidents/update-incident.ts';
import type { RouteModule } from '../app.ts';
import { route } from '../routing.ts';
import { requireAdmin } from '../session.ts';
import { jsonBody, queryOf } from '../validate.ts';

// Shapes only; the services say what is wrong with a value (unknown severity, type, status, id).
const OpenBody = z.strictObject({
  severity: z.string(),
  type: z.string(),
  title: z.string(),
  components: z.array(z.string()).max(10).optional(),
  commander: z.string().optional(),
  started: z.string().optional(),
});
const UpdateBody = z.strictObject({
  status: z.string(),
  message: z.string(),
  public: z.boolean().optional(),
});
const ResolveBody = z.strictObject({ message: z.string(), public: z.boolean().optional() });
const NoteBody = z.strictObject({ message: z.string(), tag: z.string().optional() });
const AckBody = z.strictObject({});
const ListQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * /api/admin/incidents: list and open, one incident with its timeline, and its updates, ack,
 * resolve and notes, for an admin session or ADMIN_TOKEN. Writes pass maintenance and read-only
 * (flag-guard.ts): an on-call engineer runs the incident during an emergency shutdown.
 */
export function adminIncidentsRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/api/admin/incidents', {
      GET: async (c) => {
        requireAdmin(c);
        const query = queryOf(c, ListQuery);
        c.header('Cache-Control', 'no-store');
        const incidents = await listIncidents({
          ctx,
          input: { open: query.open === 'true', limit: query.limit },
        });
        return c.json({ incidents });
      },
      POST: async (c) => {
        const caller = requireAdmin(c);
        const body = await jsonBody(c, OpenBody);
        return c.json(
          { incident: await openIncident({ ctx, input: { ...body, actor: caller.email } }) },
          201,
        );
      },
    });
    route(app, '/api/admin/incidents/:id', {
      GET: async (c) => {
        requireAdmin(c);
        c.header('Cache-Control', 'no-store');
        return c.json(await showIncident({ ctx, input: { id: c.req.param('id') ?? '' } }));
      },
    });
    route(app, '/api/admin/incidents/:id/updates', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const body = await jsonBody(c, UpdateBody);
        const id = c.req.param('id') ?? '';
        return c.json(await updateIncident({ ctx, input: { ...body, id, actor: caller.email } }));
      },
    });
    route(app, '/api/admin/incidents/:id/ack', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        await jsonBody(c, AckBody);
        return c.json(
          await ackIncident({ ctx, input: { id: c.req.param('id') ?? '', actor: caller.email } }),
        );
      },
    });
    route(app, '/api/admin/incidents/:id/resolve', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const body = await jsonBody(c, ResolveBody);
        const id = c.req.param('id') ?? '';
        return c.json(await resolveIncident({ ctx, input: { ...body, id, actor: caller.email } }));
      },
    });
    route(app, '/api/admin/incidents/:id/notes', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const body = await jsonBody(c, NoteBody);
        const id = c.req.param('id') ?? '';
        return c.json(
          { entry: await addIncidentNote({ ctx, input: { ...body, id, actor: caller.email } }) },
          201,
        );
      },
    });
  };
}
