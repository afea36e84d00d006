import type { Period } from './types.ts';

const DAY = 86_400;
/** India Standard Time is UTC+05:30, with no daylight saving. */
const IST_OFFSET = 19_800;

/**
 * The 00:00 IST that ends `count` billing periods after `start`: Razorpay's cycles run from the
 * start to midnight IST of the same calendar day one period on (a start at 13:37 on 18 Sep ends
 * its first cycle at 00:00 on 18 Oct), and from there midnight to midnight. Months follow the
 * calendar and keep the day when they can (31 Jan → 28 or 29 Feb).
 */
export function periodBoundary(start: number, period: Period, interval: number, count = 1): number {
  const local = new Date((start + IST_OFFSET) * 1000);
  const n = interval * count;
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth();
  let day = local.getUTCDate();
  if (period === 'daily') day += n;
  else if (period === 'weekly') day += 7 * n;
  else {
    month += period === 'monthly' ? n : period === 'quarterly' ? 3 * n : 12 * n;
    year += Math.floor(month / 12);
    month = ((month % 12) + 12) % 12;
    day = Math.min(day, new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  }
  return Date.UTC(year, month, day) / 1000 - IST_OFFSET;
}

/** When the `index`-th charge (0 = the first, at `start`) of a subscription falls due. */
export function chargeTime(start: number, period: Period, interval: number, index: number): number {
  return index <= 0 ? start : periodBoundary(start, period, interval, index);
}

/** `end_at`: the time of the last of `totalCount` charges, as Razorpay reports it. */
export function lastChargeTime(start: number, period: Period, interval: number, totalCount: number): number {
  return chargeTime(start, period, interval, totalCount - 1);
}

/** One day in seconds: the gap between charge retries in test mode. */
export const ONE_DAY = DAY;
