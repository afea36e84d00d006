import { checkAck, incidentLabel } from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';
import { changedMeanwhile, incidentOrNotFound } from './incident-lookup.ts';
import type { IncidentChange } from './update-incident.ts';

/**
 * `polaris incident ack`: records who acknowledged it and when (the response time starts from
 * detection); the acknowledger becomes commander when there is none. A second ack is a conflict
 * naming the first, so two engineers learn at once that someone has it.
 */
export async function ackIncident({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string; actor: string };
}): Promise<IncidentChange> {
  const at = ctx.now();
  return ctx.transaction(async (repos) => {
    const current = await incidentOrNotFound(repos, input.id);
    checkAck(current);
    const incident = await repos.incidents.updateIf(current, {
      acknowledged_at: at,
      acknowledged_by: input.actor,
      commander: current.commander ?? input.actor,
      updated_at: at,
    });
    if (!incident) throw changedMeanwhile(current);
    const commander = current.commander === null ? `; ${input.actor} is commander` : '';
    const entry = await repos.incidents.addEntry(incident.id, {
      at,
      kind: 'acknowledged',
      message: `acknowledged by ${input.actor}${commander}`,
      actor: input.actor,
    });
    await repos.audit.record({
      actor: input.actor,
      action: 'incident.ack',
      target: incidentLabel(incident.id),
      details: { commander: incident.commander, detectedAt: incident.detectedAt.toISOString() },
    });
    return { incident, entry };
  });
}
