import { AppError } from './errors.ts';
import { type Component, requiredText } from './incidents.ts';

/** Where a maintenance window is in its life; completed and cancelled are final. */
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'completed' | 'cancelled';

/** One maintenance window as services see it. */
export type MaintenanceWindow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  message: string;
  components: Component[];
  /** Whether status subscribers get the notice and the reminder. */
  notify: boolean;
  status: MaintenanceStatus;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  noticeQueuedAt: Date | null;
  reminderQueuedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  cancelledBy: string | null;
};

/** The actor of everything the maintenance job does, in audit_log and system_flags. */
export const MAINTENANCE_ACTOR = 'system:maintenance';

/** The longest window: maintenance mode refuses every non-admin write for all of it. */
export const MAX_WINDOW_MS = 24 * 3_600_000;
/** How far ahead a window may start (a year later is a typo, not a plan). */
export const MAX_LEAD_MS = 365 * 86_400_000;
/** The reminder goes out this long before the start. */
export const REMINDER_BEFORE_MS = 24 * 3_600_000;

/** The name a window goes by in messages and flag reasons. */
export const windowLabel = (id: string): string => `MW-${id}`;

/** A window id from operator input: a positive integer, optionally written MW-3. */
export function parseWindowId(raw: string): string {
  const match = /^(?:mw-)?([1-9][0-9]{0,17})$/i.exec(raw.trim());
  if (!match?.[1])
    throw new AppError('bad_request', `id: '${raw}' is not a maintenance window id (a number such as 3)`);
  return match[1];
}

// A time without its zone means a different moment on every operator's laptop: refuse it.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** An instant from operator input: ISO 8601 with its zone (Z or ±hh:mm); AppError bad_request otherwise. */
export function parseWindowTime(field: 'start' | 'end', raw: string | undefined): Date {
  const text = raw?.trim() ?? '';
  if (text === '')
    throw new AppError('bad_request', `${field}: required; an ISO time such as 2026-12-01T02:00:00Z`);
  const at = ISO_WITH_ZONE.test(text) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new AppError(
      'bad_request',
      `${field}: cannot read '${raw}'; use an ISO time with its zone, such as 2026-12-01T02:00:00Z or 2026-12-01T07:30:00+05:30`,
    );
  }
  return at;
}

/** The window's message, which the maintenance banner shows: 1–500 characters (a flag's message). */
export const parseWindowMessage = (raw: string | undefined): string => requiredText('message', raw, 500);

/** A duration in words for messages: 2h, 90m, 1h30m. */
export function spanText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}

const iso = (d: Date) => d.toISOString();

/** Refuses a span that ends before it starts, starts in the past or too far ahead, or lasts too long. */
export function checkWindowSpan(span: { startsAt: Date; endsAt: Date }, now: Date): void {
  const { startsAt, endsAt } = span;
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw new AppError('bad_request', `end: ${iso(endsAt)} is not after start ${iso(startsAt)}`);
  }
  if (startsAt.getTime() <= now.getTime()) {
    throw new AppError(
      'bad_request',
      `start: ${iso(startsAt)} is in the past (now ${iso(now)}); for maintenance now use polaris maintenance on --for <duration>`,
    );
  }
  if (startsAt.getTime() - now.getTime() > MAX_LEAD_MS) {
    throw new AppError('bad_request', `start: ${iso(startsAt)} is more than 365 days ahead`);
  }
  const span_ = endsAt.getTime() - startsAt.getTime();
  if (span_ > MAX_WINDOW_MS) {
    throw new AppError(
      'bad_request',
      `end: the window lasts ${spanText(span_)}; at most ${spanText(MAX_WINDOW_MS)} (maintenance mode refuses every non-admin write for all of it)`,
    );
  }
}

/** The overlap refusal, naming the window in the way. */
export function overlapError(
  other: Pick<MaintenanceWindow, 'id' | 'startsAt' | 'endsAt' | 'status'>,
): AppError {
  return new AppError(
    'conflict',
    `the window overlaps ${windowLabel(other.id)} (${other.status}, ${iso(other.startsAt)} to ${iso(other.endsAt)}); cancel it or pick another time`,
  );
}

/** One step the job may take for a window. */
export type MaintenanceStep = 'notice' | 'reminder' | 'start' | 'end' | 'missed';

/**
 * The steps due for a window at `now`, in order. The notice goes out once while the window is
 * live; the reminder only when the notice went out more than 24 h ahead (else it would repeat it),
 * between 24 h before and the start. A window whose end passed before it was started is missed.
 */
export function dueSteps(w: MaintenanceWindow, now: Date): MaintenanceStep[] {
  const t = now.getTime();
  const steps: MaintenanceStep[] = [];
  const live = w.status === 'scheduled' || w.status === 'in_progress';
  if (!live) return steps;
  const beforeEnd = t < w.endsAt.getTime();
  if (w.notify && w.noticeQueuedAt === null && beforeEnd) steps.push('notice');
  const remindAt = w.startsAt.getTime() - REMINDER_BEFORE_MS;
  const noticeEarly =
    w.noticeQueuedAt !== null && w.noticeQueuedAt.getTime() < remindAt && w.status === 'scheduled';
  if (w.notify && noticeEarly && w.reminderQueuedAt === null && t >= remindAt && t < w.startsAt.getTime()) {
    steps.push('reminder');
  }
  if (w.status === 'scheduled' && t >= w.startsAt.getTime()) steps.push(beforeEnd ? 'start' : 'missed');
  if (w.status === 'in_progress' && !beforeEnd) steps.push('end');
  return steps;
}
