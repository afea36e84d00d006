import {
  checkStatusUpdate,
  type Incident,
  incidentLabel,
  parseIncidentStatus,
  requiredText,
  type TimelineEntry,
} from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';
import { changedMeanwhile, incidentOrNotFound } from './incident-lookup.ts';

/** A status update: the new status (or the same, for a cadence update), what to say, and whether the public may see it. */
export type UpdateIncidentInput = {
  id: string;
  status?: string | undefined;
  message?: string | undefined;
  public?: boolean | undefined;
  actor: string;
};

/** The incident after the update and the entry it posted. */
export type IncidentChange = { incident: Incident; entry: TimelineEntry };

/**
 * `polaris incident update`: moves an open incident to a status and posts the message, with an
 * audit_log row, as a conditional update (a concurrent change is a conflict, never overwritten).
 */
export async function updateIncident({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: UpdateIncidentInput;
}): Promise<IncidentChange> {
  const status = parseIncidentStatus(input.status);
  const message = requiredText('message', input.message);
  const at = ctx.now();
  return ctx.transaction(async (repos) => {
    const current = await incidentOrNotFound(repos, input.id);
    checkStatusUpdate(current, status);
    const incident = await repos.incidents.updateIf(current, { status, updated_at: at });
    if (!incident) throw changedMeanwhile(current);
    const entry = await repos.incidents.addEntry(incident.id, {
      at,
      kind: 'status_update',
      status,
      message,
      public: input.public === true,
      actor: input.actor,
    });
    await repos.audit.record({
      actor: input.actor,
      action: 'incident.update',
      target: incidentLabel(incident.id),
      details: { from: current.status, to: status, message, public: entry.public },
    });
    return { incident, entry };
  });
}
