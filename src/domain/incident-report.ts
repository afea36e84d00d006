import { type NoteTag, splitNote } from './incident-notes.ts';
import { type Incident, incidentLabel, type TimelineEntry } from './incidents.ts';

/** What the billing tables and the inbox say happened in a window (amounts in INR paise). */
export type WindowFigures = {
  usersAffected: number;
  usersWithFailedPayments: number;
  usersWithChangedSubscriptions: number;
  failedPayments: { count: number; paise: number };
  refunds: { count: number; paise: number };
  inbox: { failed: number; pending: number };
};

/** The impact figures a report computes from the billing tables, the inbox and db verify. */
export type ReportImpact = Omit<WindowFigures, 'inbox'> & {
  dataLoss: {
    lost: boolean;
    failedEvents: number;
    pendingEvents: number;
    verify: { ok: boolean; failed: string[] };
  };
  security: { impact: boolean; reasons: string[] };
};

/** One key moment of the template's timeline; `at` null when it has not happened (yet). */
export type KeyTime = { label: string; at: Date | null; source: string };

/** The runbook's incident report, filled from the record. */
export type IncidentReport = {
  id: string;
  label: string;
  title: string;
  severity: Incident['severity'];
  type: Incident['type'];
  status: Incident['status'];
  components: Incident['components'];
  commander: string | null;
  window: { from: Date; to: Date; open: boolean };
  keyTimes: KeyTime[];
  /** Milliseconds; null until the moment it measures to has happened. */
  durations: { ttd: number; tta: number | null; ttr: number | null; total: number | null };
  summary: string[];
  impact: string[];
  rootCause: string[];
  resolutionSteps: string[];
  lessons: string[];
  prevention: string[];
  followUps: string[];
  figures: ReportImpact;
  timeline: { at: Date; kind: TimelineEntry['kind']; actor: string; message: string }[];
};

// Timeline kinds that are things someone (or Polaris) did to fix it, in the order they happened.
const ACTION_KINDS = new Set(['flag', 'emergency', 'reconcile', 'restore', 'backup', 'verify', 'smoke']);
// A flag entry that lifts a kill switch: the service is back for customers.
const LIFTED = /\b(payments on|maintenance off|read-only off) \(was /;

function notesByTag(timeline: TimelineEntry[]): Map<NoteTag, string[]> {
  const out = new Map<NoteTag, string[]>();
  for (const entry of timeline) {
    if (entry.kind !== 'note') continue;
    const { tag, text } = splitNote(entry.message);
    if (tag) out.set(tag, [...(out.get(tag) ?? []), text]);
  }
  return out;
}

/**
 * When customers got the service back: the last kill switch lifted, else the first move to
 * monitoring, else the resolution.
 */
function restoredAt(incident: Incident, timeline: TimelineEntry[]): KeyTime {
  const label = 'Service restored';
  const lifted = timeline.filter(
    (e) => (e.kind === 'flag' || e.kind === 'emergency') && LIFTED.test(e.message),
  );
  const last = lifted.at(-1);
  if (last) return { label, at: last.at, source: last.message.split(';')[0] ?? last.message };
  const monitoring = timeline.find((e) => e.kind === 'status_update' && e.status === 'monitoring');
  if (monitoring) return { label, at: monitoring.at, source: 'status monitoring' };
  return { label, at: incident.resolvedAt, source: incident.resolvedAt ? 'resolution' : 'not yet' };
}

const between = (from: Date, to: Date | null) => (to ? to.getTime() - from.getTime() : null);

/**
 * Builds the report from the incident, its timeline and the computed figures. TTD is start to
 * detection, TTA detection to acknowledgement, TTR detection to resolution (the runbook's
 * response times count from detection); the duration is start to resolution.
 */
export function buildIncidentReport(
  incident: Incident,
  timeline: TimelineEntry[],
  figures: ReportImpact,
  now: Date,
): IncidentReport {
  const tags = notesByTag(timeline);
  const resolvedEntry = timeline.find((e) => e.kind === 'resolved');
  const actions = timeline
    .filter((e) => ACTION_KINDS.has(e.kind))
    .map((e) => `${e.kind}: ${e.message} (${e.actor})`);
  const resolution = [
    ...(tags.get('resolution') ?? []),
    ...actions,
    ...(resolvedEntry ? [`resolved: ${resolvedEntry.message} (${resolvedEntry.actor})`] : []),
  ];
  const publicUpdates = timeline.filter((e) => e.kind === 'status_update' && e.public);
  const componentLine =
    incident.components.length > 0
      ? `Affected components: ${incident.components.join(', ')}.`
      : 'No component named.';
  return {
    id: incident.id,
    label: incidentLabel(incident.id),
    title: incident.title,
    severity: incident.severity,
    type: incident.type,
    status: incident.status,
    components: incident.components,
    commander: incident.commander,
    window: { from: incident.startedAt, to: incident.resolvedAt ?? now, open: !incident.resolvedAt },
    keyTimes: [
      { label: 'Started', at: incident.startedAt, source: 'incident start' },
      { label: 'Detection', at: incident.detectedAt, source: `opened by ${incident.openedBy}` },
      {
        label: 'Response initiated',
        at: incident.acknowledgedAt,
        source: incident.acknowledgedBy ? `acknowledged by ${incident.acknowledgedBy}` : 'not acknowledged',
      },
      { label: 'Resolution', at: incident.resolvedAt, source: resolvedEntry?.actor ?? 'not resolved' },
      restoredAt(incident, timeline),
    ],
    durations: {
      ttd: incident.detectedAt.getTime() - incident.startedAt.getTime(),
      tta: between(incident.detectedAt, incident.acknowledgedAt),
      ttr: between(incident.detectedAt, incident.resolvedAt),
      total: between(incident.startedAt, incident.resolvedAt),
    },
    summary: tags.get('summary') ?? [
      `${incident.severity} ${incident.type} incident: ${incident.title}.`,
      ...(resolvedEntry ? [`Resolved: ${resolvedEntry.message}`] : []),
    ],
    impact: [...(tags.get('impact') ?? []), ...publicUpdates.map((e) => e.message), componentLine],
    rootCause: tags.get('root-cause') ?? [],
    resolutionSteps: resolution,
    lessons: tags.get('lesson') ?? [],
    prevention: tags.get('prevention') ?? [],
    followUps: tags.get('follow-up') ?? [],
    figures,
    timeline: timeline.map((e) => ({ at: e.at, kind: e.kind, actor: e.actor, message: e.message })),
  };
}

/** Whether security was touched: a security incident, notes tagged security, or security actions taken. */
export function securityImpact(
  incident: Pick<Incident, 'type'>,
  timeline: TimelineEntry[],
  actions: { action: string; count: number }[],
): ReportImpact['security'] {
  const reasons: string[] = [];
  if (incident.type.startsWith('security')) reasons.push(`a ${incident.type} incident`);
  for (const text of notesByTag(timeline).get('security') ?? []) reasons.push(text);
  for (const a of actions) reasons.push(`${a.action} ×${a.count} in the window`);
  return { impact: reasons.length > 0, reasons };
}

/** A duration as people read it: 45s, 12m 5s, 3h 20m, 2d 4h. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'not yet';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** Paise as rupees: ₹1,599.00. */
export const rupees = (paise: number): string =>
  `₹${(paise / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
