import type { Component } from '../../domain/incidents.ts';
import { type ComponentState, currentStates, stretchStep } from '../../domain/status.ts';
import type { ServiceContext } from '../context.ts';

/** A run further apart than this from the last one leaves a gap (unobserved time) in the history. */
export const MAX_HISTORY_GAP_MS = 15 * 60_000;

/** What one run recorded: each component's state, and the ones that changed. */
export type RecordedStates = { at: Date; states: Record<Component, ComponentState>; changed: Component[] };

/**
 * The scheduled job behind the uptime bars: records each component's current state (from open
 * incidents and maintenance in progress) in the state history, extending the stretch it continues.
 * Runs one at a time across instances (a table lock); safe to run any number of times.
 */
export async function recordComponentStates({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { maxGapMs?: number };
}): Promise<RecordedStates> {
  const maxGapMs = input.maxGapMs ?? MAX_HISTORY_GAP_MS;
  return ctx.transaction(async (repos) => {
    await repos.status.lockHistory();
    const now = ctx.now();
    const open = await repos.status.openImpacts();
    const windows = await repos.status.maintenance(now, 100);
    const latest = new Map((await repos.status.latestStretches()).map((s) => [s.component, s]));
    const states = {} as Record<Component, ComponentState>;
    const changed: Component[] = [];
    for (const { component, state } of currentStates(open, windows, now)) {
      states[component] = state;
      const last = latest.get(component);
      const step = stretchStep(last, state, now, maxGapMs);
      if (step.extend) await repos.status.extendStretch(step.extend, now);
      if (step.start) await repos.status.startStretch(component, state, now);
      if (last && last.state !== state) changed.push(component);
    }
    return { at: now, states, changed };
  });
}
