import { AppError } from './errors.ts';
import { parseDuration } from './flags.ts';
import type { Incident } from './incidents.ts';
import type { Policy } from './policy.ts';

/** The audit action a game day (`polaris drill incident`) records in the live database. */
export const GAME_DAY_ACTION = 'drill.incident';

/** A calendar month in UTC: its label and its half-open window. */
export type Month = { label: string; from: Date; to: Date };

/** `--month YYYY-MM` (default: the month `now` is in); a future month is refused. */
export function parseMonth(raw: string | undefined, now: Date): Month {
  const label = raw?.trim() || now.toISOString().slice(0, 7);
  const match = /^(\d{4})-(\d{2})$/.exec(label);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) {
    throw new AppError('bad_request', `month: cannot read '${raw}'; use YYYY-MM such as 2026-11`);
  }
  const from = new Date(Date.UTC(year, month - 1, 1));
  if (from.getTime() > now.getTime()) throw new AppError('bad_request', `month: ${label} has not begun`);
  return { label, from, to: new Date(Date.UTC(year, month, 1)) };
}

/** One incident of the month, with its response measured against the policy. */
export type ReviewedIncident = {
  id: string;
  label: string;
  severity: Incident['severity'];
  type: Incident['type'];
  title: string;
  status: Incident['status'];
  detectedAt: Date;
  /** Detection to acknowledgement and to resolution, in ms; null until it happened. */
  tta: number | null;
  ttr: number | null;
  /** Acknowledged within the policy's response time for its severity (null: not yet acked). */
  respondedInTime: boolean | null;
};

/** The month's incident with its response times measured against `policy.responseTimes`. */
export function reviewIncident(incident: Incident, policy: Policy, label: string): ReviewedIncident {
  const since = (at: Date | null) => (at ? at.getTime() - incident.detectedAt.getTime() : null);
  const tta = since(incident.acknowledgedAt);
  const limit = parseDuration(policy.responseTimes[incident.severity]);
  return {
    id: incident.id,
    label,
    severity: incident.severity,
    type: incident.type,
    title: incident.title,
    status: incident.status,
    detectedAt: incident.detectedAt,
    tta,
    ttr: since(incident.resolvedAt),
    respondedInTime: tta === null || limit === undefined ? null : tta <= limit,
  };
}
