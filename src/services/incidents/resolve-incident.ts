import { checkResolve, incidentLabel, requiredText } from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';
import { changedMeanwhile, incidentOrNotFound } from './incident-lookup.ts';
import type { IncidentChange } from './update-incident.ts';

/**
 * `polaris incident resolve`: a person closes the incident with what resolved it. Resolved is
 * final; notes may still be added for the report.
 */
export async function resolveIncident({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string; message?: string | undefined; public?: boolean | undefined; actor: string };
}): Promise<IncidentChange> {
  const message = requiredText('message', input.message);
  const at = ctx.now();
  return ctx.transaction(async (repos) => {
    const current = await incidentOrNotFound(repos, input.id);
    checkResolve(current);
    const incident = await repos.incidents.updateIf(current, {
      status: 'resolved',
      resolved_at: at,
      updated_at: at,
    });
    if (!incident) throw changedMeanwhile(current);
    const entry = await repos.incidents.addEntry(incident.id, {
      at,
      kind: 'resolved',
      status: 'resolved',
      message,
      public: input.public === true,
      actor: input.actor,
    });
    await repos.audit.record({
      actor: input.actor,
      action: 'incident.resolve',
      target: incidentLabel(incident.id),
      details: { from: current.status, message },
    });
    return { incident, entry };
  });
}
