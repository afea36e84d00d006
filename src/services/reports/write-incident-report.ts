import { buildIncidentReport, type IncidentReport, securityImpact } from '../../domain/incident-report.ts';
import { checkFailed } from '../../domain/verify-checks.ts';
import type { ServiceContext } from '../context.ts';
import { incidentOrNotFound } from '../incidents/incident-lookup.ts';
import { verifyDatabase } from '../verify/verify-database.ts';

// Audit actions that mean accounts or secrets were acted on for security reasons.
const SECURITY_ACTIONS = ['user.disable', 'user.require_password_reset', 'sessions.revoke', 'secrets.'];

/**
 * `polaris incident report <id>`: the runbook's Incident Report Template filled from the record:
 * the incident and its timeline, the billing tables and the inbox in its window, and a db verify
 * run now. Reads only; an open incident's window runs until now.
 */
export async function writeIncidentReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string };
}): Promise<IncidentReport> {
  const incident = await incidentOrNotFound(ctx.repos, input.id);
  const now = ctx.now();
  const timeline = await ctx.repos.incidents.timeline(incident.id);
  const window = { from: incident.startedAt, to: incident.resolvedAt ?? now };
  // Half-open windows: include the resolution instant itself.
  const inclusive = { from: window.from, to: new Date(window.to.getTime() + 1) };
  const { inbox, ...impact } = await ctx.repos.reports.impact(inclusive);
  const security = await ctx.repos.reports.actionCounts(inclusive, SECURITY_ACTIONS);
  const verify = await verifyDatabase({ ctx });
  const failed = verify.checks.filter((c) => c.severity === 'error' && checkFailed(c)).map((c) => c.name);
  return buildIncidentReport(
    incident,
    timeline,
    {
      ...impact,
      dataLoss: {
        lost: inbox.failed > 0 || !verify.ok,
        failedEvents: inbox.failed,
        pendingEvents: inbox.pending,
        verify: { ok: verify.ok, failed },
      },
      security: securityImpact(incident, timeline, security),
    },
    now,
  );
}
