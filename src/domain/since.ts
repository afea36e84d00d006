import { AppError } from './errors.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_MS = 366 * UNIT_MS.d;

/**
 * The start of an operator's look-back window: `30m`, `24h`, `7d` (at most a year) before `now`, or
 * an ISO date in the past. Anything else is AppError 'bad_request' saying what is accepted.
 */
export function parseSince(text: string, now: Date): Date {
  const value = text.trim();
  const relative = /^(\d{1,6})([mhd])$/.exec(value);
  if (relative) {
    const ms = Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
    if (ms === 0 || ms > MAX_MS) {
      throw new AppError('bad_request', `--since ${value}: give a window between 1m and 366d`);
    }
    return new Date(now.getTime() - ms);
  }
  const absolute = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? new Date(value)
    : null;
  if (absolute && !Number.isNaN(absolute.getTime()) && absolute.getTime() <= now.getTime()) return absolute;
  throw new AppError(
    'bad_request',
    `--since ${JSON.stringify(text)}: expected a window like 30m, 24h or 7d, or a past ISO date like 2026-11-29T08:00Z`,
  );
}
