import { type Incident, incidentLabel, type TimelineEntry } from '../../../domain/incidents.ts';
import type { IncidentRecord } from '../../../services/incidents/show-incident.ts';
import type { IncidentChange } from '../../../services/incidents/update-incident.ts';
import { table } from '../table.ts';

const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
const kindOf = (i: Incident) => `${i.severity} ${i.type}`;

/** What `polaris incident open` stored, and the next step. */
export function openedLines(incident: Incident): string[] {
  return [
    `opened ${incidentLabel(incident.id)}: ${kindOf(incident)}: ${incident.title}`,
    ...detailLines(incident),
    `  next: polaris incident ack ${incident.id}`,
  ];
}

function detailLines(incident: Incident): string[] {
  const ack = incident.acknowledgedAt
    ? `${when(incident.acknowledgedAt)} by ${incident.acknowledgedBy}`
    : 'not yet';
  return [
    `  status:       ${incident.status}`,
    `  components:   ${incident.components.length > 0 ? incident.components.join(', ') : 'none named'}`,
    `  commander:    ${incident.commander ?? 'none yet (the first to ack takes it)'}`,
    `  started:      ${when(incident.startedAt)}`,
    `  detected:     ${when(incident.detectedAt)} by ${incident.openedBy}`,
    `  acknowledged: ${ack}`,
    ...(incident.resolvedAt ? [`  resolved:     ${when(incident.resolvedAt)}`] : []),
  ];
}

/** `polaris incident list`: one row per incident, newest first. */
export function incidentsTable(incidents: Incident[], open: boolean): string[] {
  if (incidents.length === 0) return [open ? 'no open incidents' : 'no incidents recorded'];
  const rows = incidents.map((i) => [
    incidentLabel(i.id),
    i.severity,
    i.type,
    i.status,
    i.title,
    when(i.detectedAt),
    i.acknowledgedAt ? (i.acknowledgedBy ?? '') : 'not yet',
    i.commander,
  ]);
  return [table(['id', 'severity', 'type', 'status', 'title', 'detected', 'acked by', 'commander'], rows)];
}

const entryRow = (e: TimelineEntry) => [
  when(e.at),
  e.kind,
  e.status,
  e.public ? 'yes' : '',
  e.actor,
  e.message,
];

/** `polaris incident show`: the incident and its timeline. */
export function recordLines(record: IncidentRecord): string[] {
  const { incident, timeline } = record;
  return [
    `${incidentLabel(incident.id)}: ${kindOf(incident)}: ${incident.title}`,
    ...detailLines(incident),
    table(['at', 'kind', 'status', 'public', 'by', 'message'], timeline.map(entryRow)),
  ];
}

/** One change (ack, update, resolve): what it recorded. */
export function changeLines(verb: string, change: IncidentChange): string[] {
  const { incident, entry } = change;
  const visibility = entry.public ? ' (public)' : '';
  return [
    `${incidentLabel(incident.id)} ${verb}: ${incident.status}${visibility}`,
    `  ${entry.message}`,
    ...(verb === 'acknowledged' ? [`  commander: ${incident.commander}`] : []),
  ];
}

/** A note added. */
export function noteLines(entry: TimelineEntry): string[] {
  return [`note added to ${incidentLabel(entry.incidentId)} at ${when(entry.at)}`];
}
