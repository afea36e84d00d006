import { parseDuration } from './flags.ts';
import type { Incident } from './incidents.ts';
import type { Policy } from './policy.ts';

/** One escalation level that is due: who, and since when. */
export type DueEscalation = { level: number; role: string; dueAt: Date };

/** One status-update reminder that is due: its number for the incident and the moment it fell due. */
export type DueReminder = { step: number; dueAt: Date };

/** The incident fields the ladder and the cadence read. */
export type ScheduledIncident = Pick<Incident, 'id' | 'severity' | 'status' | 'detectedAt'>;

/** The notification key that makes an escalation page exactly-once. */
export const escalationKey = (incidentId: string, level: number): string =>
  `escalation:${incidentId}:${level}`;

/** The notification key that makes a status-update reminder exactly-once. */
export const cadenceKey = (incidentId: string, step: number): string => `cadence:${incidentId}:${step}`;

/**
 * When the policy's ladder pages `level` for an incident: at detection for `open` or a severity it
 * pages at once, `after` past detection, or never.
 */
export function escalationDueAt(
  step: Policy['escalation'][number],
  incident: Pick<Incident, 'severity' | 'detectedAt'>,
): Date | undefined {
  const opened = incident.detectedAt.getTime();
  if (step.after === 'open' || step.immediatelyFor.includes(incident.severity)) return new Date(opened);
  const ms = parseDuration(step.after);
  return ms === undefined ? undefined : new Date(opened + ms);
}

/** The levels due by `now` for an unresolved incident, lowest level first; none once resolved. */
export function dueEscalations(incident: ScheduledIncident, policy: Policy, now: Date): DueEscalation[] {
  if (incident.status === 'resolved') return [];
  const due: DueEscalation[] = [];
  for (const step of policy.escalation) {
    const dueAt = escalationDueAt(step, incident);
    if (dueAt && dueAt.getTime() <= now.getTime()) due.push({ level: step.level, role: step.role, dueAt });
  }
  return due;
}

/**
 * The status-update reminder due by `now`, if any: one cadence after the later of the last public
 * update (or detection) and the last reminder. A scheduler that was down for several periods sends
 * one reminder for the latest period, not one per missed period.
 */
export function dueReminder(
  incident: ScheduledIncident,
  policy: Policy,
  seen: { lastPublicUpdate: Date | null; lastReminder: DueReminder | null },
  now: Date,
): DueReminder | undefined {
  if (incident.status === 'resolved') return undefined;
  const cadence = parseDuration(policy.statusUpdateCadence[incident.severity]);
  if (cadence === undefined) return undefined;
  const base = Math.max(
    (seen.lastPublicUpdate ?? incident.detectedAt).getTime(),
    seen.lastReminder?.dueAt.getTime() ?? Number.NEGATIVE_INFINITY,
  );
  const periods = Math.floor((now.getTime() - base) / cadence);
  if (periods < 1) return undefined;
  return { step: (seen.lastReminder?.step ?? 0) + 1, dueAt: new Date(base + periods * cadence) };
}
