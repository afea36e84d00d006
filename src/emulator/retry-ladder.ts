/**
 * Seconds after the first delivery at which Razorpay attempts an event that keeps failing
 * (a public measurement of 796 real deliveries: 16 attempts, doubling from the fifth on).
 */
export const RETRY_LADDER_SECONDS = [
  0, 0.25, 6, 19, 40, 84, 162, 324, 648, 1296, 2580, 5148, 10260, 20520, 41040, 82080,
] as const;

/** After this long without a successful delivery, Razorpay disables the webhook. */
export const DISABLE_AFTER_SECONDS = 24 * 3600;

/** Real milliseconds after the first attempt for attempt number `index` (0-based), or null when none is left. */
export function attemptOffsetMs(index: number, timeScale: number): number | null {
  const seconds = RETRY_LADDER_SECONDS[index];
  return seconds === undefined ? null : (seconds * 1000) / timeScale;
}

/** Real milliseconds after the first attempt at which a still-failing delivery disables its endpoint. */
export function disableAfterMs(timeScale: number): number {
  return (DISABLE_AFTER_SECONDS * 1000) / timeScale;
}
