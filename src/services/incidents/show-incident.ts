import type { Incident, TimelineEntry } from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';
import { incidentOrNotFound } from './incident-lookup.ts';

/** An incident and its whole timeline, oldest entry first. */
export type IncidentRecord = { incident: Incident; timeline: TimelineEntry[] };

/** `polaris incident show <id>`. */
export async function showIncident({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string };
}): Promise<IncidentRecord> {
  const incident = await incidentOrNotFound(ctx.repos, input.id);
  return { incident, timeline: await ctx.repos.incidents.timeline(incident.id) };
}
