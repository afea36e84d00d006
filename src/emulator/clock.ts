/** Time as the emulator sees it: unix seconds that only the test clock can move ahead of the wall. */
export type EmulatorClock = {
  /** Current emulated time in unix seconds. */
  now(): number;
  /** Moves emulated time to `unixSeconds` (never backwards). */
  set(unixSeconds: number): void;
  /** Seconds the clock has been moved ahead of its base; persisted so a restart keeps it. */
  offset(): number;
  restoreOffset(seconds: number): void;
};

/** Real time for webhook timers (milliseconds), injected so tests and benches can replace it. */
export type Timers = {
  nowMs(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** The process's real timers; the only place the emulator reads the wall clock for delivery timing. */
export const systemTimers: Timers = {
  nowMs: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A clock that starts at `start` (frozen, moved only by advance) or, without `start`, follows the
 * wall clock plus whatever the test clock has added.
 */
export function createClock(start?: number, wallMs: () => number = systemTimers.nowMs): EmulatorClock {
  let offset = 0;
  const base = () => (start === undefined ? Math.floor(wallMs() / 1000) : start);
  return {
    now: () => base() + offset,
    set(unixSeconds) {
      const delta = unixSeconds - (base() + offset);
      if (delta > 0) offset += delta;
    },
    offset: () => offset,
    restoreOffset(seconds) {
      offset = seconds;
    },
  };
}
