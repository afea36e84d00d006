import { z } from 'zod';
import { incidentReportMarkdown } from '../../../domain/incident-report-markdown.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { writeIncidentReport } from '../../../services/reports/write-incident-report.ts';
import type { RouteModule } from '../app.ts';
import { route } from '../routing.ts';
import { requireAdmin } from '../session.ts';
import { queryOf } from '../validate.ts';

const ReportQuery = z.strictObject({ format: z.enum(['json', 'md']).default('json') });

/**
 * GET /api/admin/incidents/:id/report: the runbook's incident report, as JSON (default) or as
 * the filled Markdown template (`?format=md`), for an admin session or ADMIN_TOKEN.
 */
export function adminReportsRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/api/admin/incidents/:id/report', {
      GET: async (c) => {
        requireAdmin(c);
        const query = queryOf(c, ReportQuery);
        const report = await writeIncidentReport({ ctx, input: { id: c.req.param('id') ?? '' } });
        c.header('Cache-Control', 'no-store');
        if (query.format === 'md') {
          c.header('Content-Type', 'text/markdown; charset=utf-8');
          return c.body(incidentReportMarkdown(report));
        }
        return c.json({ report });
      },
    });
  };
}
