import type { ServiceContext } from '../context.ts';
import { queueNotification } from './enqueue-notification.ts';

/** How far back a first run looks: a new install does not mail out old history. */
const LOOKBACK_MS = 24 * 3_600_000;
const BATCH = 100;

/**
 * The job telling confirmed status subscribers of each public incident update (key
 * `incident-update:<timeline entry>`), each once, to the subscribers of the moment it is queued.
 */
export async function announceIncidentUpdates({
  ctx,
}: {
  ctx: ServiceContext;
}): Promise<{ updates: number; queued: number }> {
  const since = new Date(ctx.now().getTime() - LOOKBACK_MS);
  const updates = await ctx.repos.notifications.publicUpdatesSince(since, BATCH * 10);
  const keyOf = (entryId: string) => `incident-update:${entryId}`;
  const done = await ctx.repos.notifications.existingKeys(updates.map((u) => keyOf(u.entryId)));
  let announced = 0;
  let queued = 0;
  for (const update of updates.filter((u) => !done.has(keyOf(u.entryId))).slice(0, BATCH)) {
    const result = await ctx.transaction((repos) =>
      queueNotification(ctx, repos, {
        key: keyOf(update.entryId),
        template: 'incident-update',
        audience: { kind: 'status-subscribers' },
        vars: {
          incidentId: update.incidentId,
          title: update.title,
          status: update.status,
          message: update.message,
          at: update.at.toISOString(),
        },
        incidentId: update.incidentId,
      }),
    );
    announced += 1;
    queued += result.queued;
  }
  return { updates: announced, queued };
}
