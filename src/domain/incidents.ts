import { AppError } from './errors.ts';

/** The runbook's severities, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The runbook's incident types: each family alone, or one of its listed subtypes. */
export const INCIDENT_TYPES = [
  'payment',
  'payment.processing',
  'payment.webhooks',
  'payment.razorpay-api',
  'payment.subscriptions',
  'infrastructure',
  'infrastructure.deployment',
  'infrastructure.database',
  'infrastructure.cdn',
  'infrastructure.ssl',
  'security',
  'security.unauthorized-access',
  'security.data-exposure',
  'security.key-compromise',
  'security.ddos',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** Where an incident stands; resolved is final (a recurrence is a new incident). */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The parts of Polaris an incident can affect. */
export const COMPONENTS = ['checkout', 'webhooks', 'api', 'web', 'database'] as const;
export type Component = (typeof COMPONENTS)[number];

/** What a timeline entry records; the automatic kinds are written by other parts of Polaris. */
export const TIMELINE_KINDS = [
  'opened',
  'acknowledged',
  'status_update',
  'resolved',
  'note',
  'flag',
  'emergency',
  'alert',
  'escalation',
  'notification',
  'backup',
  'restore',
  'verify',
  'smoke',
  'reconcile',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One incident as services see it. */
export type Incident = {
  id: string;
  title: string;
  severity: Severity;
  type: IncidentType;
  status: IncidentStatus;
  components: Component[];
  commander: string | null;
  ruleKey: string | null;
  openedBy: string;
  startedAt: Date;
  detectedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  updatedAt: Date;
  /** Bumped by every change; a conditional update names the revision it read. */
  revision: number;
};

/** One timeline entry. */
export type TimelineEntry = {
  id: string;
  incidentId: string;
  at: Date;
  kind: TimelineKind;
  status: IncidentStatus | null;
  message: string;
  public: boolean;
  actor: string;
};

/** The rule key of the incident `emergency shutdown` opens (one open at a time). */
export const EMERGENCY_RULE_KEY = 'emergency-shutdown';

const MAX_TITLE = 200;
const MAX_MESSAGE = 2000;

function oneOf<T extends string>(field: string, allowed: readonly T[], raw: string | undefined): T {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '') throw new AppError('bad_request', `${field}: required; one of ${allowed.join(', ')}`);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new AppError('bad_request', `${field}: '${raw}' is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A severity from operator input; AppError bad_request naming the allowed ones. */
export const parseSeverity = (raw: string | undefined): Severity => oneOf('severity', SEVERITIES, raw);

/** An incident type from operator input (`payment` or `payment.webhooks`). */
export const parseIncidentType = (raw: string | undefined): IncidentType =>
  oneOf('type', INCIDENT_TYPES, raw);

/** A status from operator input. */
export const parseIncidentStatus = (raw: string | undefined): IncidentStatus =>
  oneOf('status', INCIDENT_STATUSES, raw);

/** Components from a comma-separated list or an array; duplicates collapse, order follows COMPONENTS. */
export function parseComponents(raw: string | readonly string[] | undefined): Component[] {
  const items = (typeof raw === 'string' ? raw.split(',') : (raw ?? []))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  const unknown = items.filter((c) => !(COMPONENTS as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw new AppError('bad_request', `components: '${unknown[0]}' is not one of ${COMPONENTS.join(', ')}`);
  }
  return COMPONENTS.filter((c) => items.includes(c));
}

/** A required trimmed text field of bounded length. */
export function requiredText(field: string, raw: string | undefined, max = MAX_MESSAGE): string {
  const text = raw?.trim() ?? '';
  if (text === '') throw new AppError('bad_request', `${field}: required`);
  if (text.length > max) throw new AppError('bad_request', `${field}: at most ${max} characters`);
  return text;
}

/** The title of an incident (1–200 characters). */
export const parseTitle = (raw: string | undefined): string => requiredText('title', raw, MAX_TITLE);

/** An incident id from operator input: a positive integer, optionally written INC-12. */
export function parseIncidentId(raw: string): string {
  const match = /^(?:inc-)?([1-9][0-9]{0,17})$/i.exec(raw.trim());
  if (!match?.[1])
    throw new AppError('bad_request', `id: '${raw}' is not an incident id (a number such as 12)`);
  return match[1];
}

/** The name an incident goes by in messages. */
export const incidentLabel = (id: string): string => `INC-${id}`;

/**
 * May an incident in `from` take a status update to `to`? Any open status may move to any other
 * (a fix that did not hold goes back to investigating) or stay (a cadence update); resolved is final.
 */
export function checkStatusUpdate(incident: Pick<Incident, 'id' | 'status'>, to: IncidentStatus): void {
  if (incident.status === 'resolved') {
    throw new AppError(
      'conflict',
      `${incidentLabel(incident.id)} is resolved; a recurrence is a new incident (polaris incident open)`,
    );
  }
  if (to === 'resolved') {
    throw new AppError(
      'bad_request',
      `status: use polaris incident resolve ${incident.id} --message "…" to resolve (it records the resolution)`,
    );
  }
}

/** May this incident be acknowledged? Once only, and not after it is resolved. */
export function checkAck(incident: Incident): void {
  if (incident.status === 'resolved') {
    throw new AppError('conflict', `${incidentLabel(incident.id)} is already resolved`);
  }
  if (incident.acknowledgedAt) {
    throw new AppError(
      'conflict',
      `${incidentLabel(incident.id)} was already acknowledged by ${incident.acknowledgedBy} at ${incident.acknowledgedAt.toISOString()}`,
    );
  }
}

/** May this incident be resolved? Not twice. */
export function checkResolve(incident: Incident): void {
  if (incident.status === 'resolved') {
    throw new AppError(
      'conflict',
      `${incidentLabel(incident.id)} was already resolved at ${incident.resolvedAt?.toISOString()}`,
    );
  }
}

/** When the problem started: given (not after `now`), else `now`. */
export function parseStartedAt(raw: string | undefined, now: Date): Date {
  if (raw === undefined || raw.trim() === '') return now;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) {
    throw new AppError(
      'bad_request',
      `started: cannot read '${raw}'; use an ISO time such as 2026-11-30T03:00:00Z`,
    );
  }
  if (at.getTime() > now.getTime()) throw new AppError('bad_request', `started: '${raw}' is in the future`);
  return at;
}
