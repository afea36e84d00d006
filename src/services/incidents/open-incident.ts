import type { NewIncident } from '../../adapters/db/incidents-repo.ts';
import type { Repos } from '../../adapters/db/repos.ts';
import {
  type Incident,
  incidentLabel,
  parseComponents,
  parseIncidentType,
  parseSeverity,
  parseStartedAt,
  parseTitle,
  requiredText,
} from '../../domain/incidents.ts';
import type { ServiceContext } from '../context.ts';

/** What an operator gives to open an incident (strings as typed; validated here). */
export type OpenIncidentInput = {
  severity?: string | undefined;
  type?: string | undefined;
  title?: string | undefined;
  components?: string | readonly string[] | undefined;
  commander?: string | undefined;
  started?: string | undefined;
  actor: string;
};

/**
 * Stores an incident with its `opened` timeline entry and an audit_log row, inside the caller's
 * transaction (emergency shutdown opens one with its flag changes).
 */
export async function recordOpenIncident(repos: Repos, fields: NewIncident): Promise<Incident> {
  const incident = await repos.incidents.insert(fields);
  await repos.incidents.addEntry(incident.id, {
    at: fields.detectedAt,
    kind: 'opened',
    status: incident.status,
    message: `${incident.severity} ${incident.type}: ${incident.title}`,
    actor: fields.openedBy,
  });
  await repos.audit.record({
    actor: fields.openedBy,
    action: 'incident.open',
    target: incidentLabel(incident.id),
    details: {
      severity: incident.severity,
      type: incident.type,
      title: incident.title,
      components: incident.components,
      commander: incident.commander,
      ruleKey: incident.ruleKey,
    },
  });
  return incident;
}

/** `polaris incident open`: a new incident, investigating, detected now. */
export async function openIncident({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: OpenIncidentInput;
}): Promise<Incident> {
  const now = ctx.now();
  const fields: NewIncident = {
    severity: parseSeverity(input.severity),
    type: parseIncidentType(input.type),
    title: parseTitle(input.title),
    components: parseComponents(input.components),
    commander: input.commander === undefined ? null : requiredText('commander', input.commander, 200),
    ruleKey: null,
    openedBy: input.actor,
    startedAt: parseStartedAt(input.started, now),
    detectedAt: now,
  };
  return ctx.transaction((repos) => recordOpenIncident(repos, fields));
}
