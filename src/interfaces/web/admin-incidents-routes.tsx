import { z } from 'zod';
import { incidentReportMarkdown } from '../../domain/incident-report-markdown.ts';
import type { ServiceContext } from '../../services/context.ts';
import { getFlags } from '../../services/flags/get-flags.ts';
import { listIncidents } from '../../services/incidents/list-incidents.ts';
import { openIncident } from '../../services/incidents/open-incident.ts';
import { resolveIncident } from '../../services/incidents/resolve-incident.ts';
import { showIncident } from '../../services/incidents/show-incident.ts';
import { updateIncident } from '../../services/incidents/update-incident.ts';
import { writeIncidentReport } from '../../services/reports/write-incident-report.ts';
import type { RouteModule } from '../http/app.ts';
import { route } from '../http/routing.ts';
import { requireAdmin } from '../http/session.ts';
import { AdminIncidentPage, AdminIncidentReportPage } from './admin-incident-page.tsx';
import { AdminIncidentsPage } from './admin-incidents-page.tsx';
import { doneNotice, readForm, seeOther } from './form.ts';

// Shapes only: the services name what is missing or wrong (severity, type, title, message).
const text = z.string().optional();
const OpenForm = z.object({
  severity: text,
  type: text,
  title: text,
  components: z.union([z.string(), z.array(z.string())]).optional(),
});
const UpdateForm = z.object({ status: text, message: text, public: z.literal('on').optional() });
const ResolveForm = z.object({ message: text, public: z.literal('on').optional() });

const DONE = {
  opened: 'Incident opened.',
  updated: 'Update posted.',
  resolved: 'Incident resolved.',
};

/**
 * /admin/incidents, one incident, its update and resolve forms and its report: the services of
 * `polaris incident …` and /api/admin/incidents, audited as the admin. Open during maintenance
 * and read-only (OPERATOR_PREFIXES): the on-call engineer runs the incident through a shutdown.
 */
export function adminIncidentsWeb(ctx: ServiceContext): RouteModule {
  const shell = async (caller: ReturnType<typeof requireAdmin>) => ({
    caller,
    flags: await getFlags({ ctx }),
  });
  return (app) => {
    route(app, '/admin/incidents', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const [open, recent] = await Promise.all([
          listIncidents({ ctx, input: { open: true } }),
          listIncidents({ ctx, input: { limit: 20 } }),
        ]);
        c.header('Cache-Control', 'no-store');
        return c.html(
          <AdminIncidentsPage
            {...(await shell(caller))}
            notice={doneNotice(c, DONE)}
            open={open}
            recent={recent}
          />,
        );
      },
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, OpenForm);
        const incident = await openIncident({ ctx, input: { ...form, actor: caller.email } });
        return seeOther(c, `/admin/incidents/${incident.id}`, 'opened');
      },
    });
    route(app, '/admin/incidents/:id', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const record = await showIncident({ ctx, input: { id: c.req.param('id') ?? '' } });
        c.header('Cache-Control', 'no-store');
        return c.html(
          <AdminIncidentPage {...(await shell(caller))} notice={doneNotice(c, DONE)} record={record} />,
        );
      },
    });
    route(app, '/admin/incidents/:id/updates', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, UpdateForm);
        const id = c.req.param('id') ?? '';
        const input = { ...form, public: form.public === 'on', id, actor: caller.email };
        const { incident } = await updateIncident({ ctx, input });
        return seeOther(c, `/admin/incidents/${incident.id}`, 'updated');
      },
    });
    route(app, '/admin/incidents/:id/resolve', {
      POST: async (c) => {
        const caller = requireAdmin(c);
        const form = await readForm(c, ResolveForm);
        const id = c.req.param('id') ?? '';
        const input = { message: form.message, public: form.public === 'on', id, actor: caller.email };
        const { incident } = await resolveIncident({ ctx, input });
        return seeOther(c, `/admin/incidents/${incident.id}`, 'resolved');
      },
    });
    route(app, '/admin/incidents/:id/report', {
      GET: async (c) => {
        const caller = requireAdmin(c);
        const id = c.req.param('id') ?? '';
        const report = await writeIncidentReport({ ctx, input: { id } });
        c.header('Cache-Control', 'no-store');
        return c.html(
          <AdminIncidentReportPage
            {...(await shell(caller))}
            id={report.id}
            markdown={incidentReportMarkdown(report)}
          />,
        );
      },
    });
  };
}
