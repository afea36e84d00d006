import type { Repos } from '../../adapters/db/repos.ts';
import { AppError } from '../../domain/errors.ts';
import { type Incident, incidentLabel, parseIncidentId } from '../../domain/incidents.ts';

/** The incident an operator named, or AppError bad_request (not an id) / not_found. */
export async function incidentOrNotFound(repos: Repos, rawId: string): Promise<Incident> {
  const id = parseIncidentId(rawId);
  const incident = await repos.incidents.find(id);
  if (!incident) throw new AppError('not_found', `no incident ${incidentLabel(id)}`);
  return incident;
}

/** The conflict of a conditional update that found the incident changed since it was read. */
export function changedMeanwhile(incident: Incident): AppError {
  return new AppError(
    'conflict',
    `${incidentLabel(incident.id)} changed while this ran; read it again (polaris incident show ${incident.id}) and retry`,
  );
}
