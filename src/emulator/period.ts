import type { Period } from './types.ts';

const DAY = 86_400;

/** Adds `count` billing periods to a unix time; months and years follow the calendar (UTC). */
export function addPeriods(unixSeconds: number, period: Period, interval: number, count = 1): number {
  const n = interval * count;
  if (period === 'daily') return unixSeconds + n * DAY;
  if (period === 'weekly') return unixSeconds + n * 7 * DAY;
  const date = new Date(unixSeconds * 1000);
  const months = period === 'monthly' ? n : period === 'quarterly' ? 3 * n : 12 * n;
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return Math.floor(date.getTime() / 1000);
}

/** One day in seconds: the gap between charge retries in test mode. */
export const ONE_DAY = DAY;
