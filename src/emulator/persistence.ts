import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Timers } from './clock.ts';

/** What is written to the state file. */
export type Snapshot = { version: 1; clockOffset: number; state: Record<string, unknown> };

/** Reads a state file written by `createPersistence`; a missing or unreadable file means a fresh start. */
export function loadSnapshot(path: string): Snapshot | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<Snapshot>;
    if (data.version !== 1 || typeof data.state !== 'object' || data.state === null) return null;
    return { version: 1, clockOffset: Number(data.clockOffset) || 0, state: data.state };
  } catch {
    return null;
  }
}

/** Saves snapshots to `path` shortly after each change (write to a temp file, then rename). */
export function createPersistence(path: string, snapshot: () => Snapshot, timers: Timers, debounceMs = 100) {
  let timer: unknown = null;
  const flush = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot()));
    renameSync(tmp, path);
  };
  return {
    /** Schedules a save. */
    changed(): void {
      if (timer === null) timer = timers.setTimeout(flush, debounceMs);
    },
    /** Saves now. */
    flush,
  };
}
