import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import type { NotificationRequest, Notify } from '../../src/domain/notifications.ts';

/**
 * A Notify that records requests with the outbox's contract (a key queues once): `calls` has every
 * call, `queued` the requests that were new. Stands in for the notifications part's outbox.
 */
export function recordingNotify() {
  const calls: NotificationRequest[] = [];
  const queued: NotificationRequest[] = [];
  const notify: Notify = async (request) => {
    calls.push(request);
    if (queued.some((q) => q.key === request.key)) return { queued: 0 };
    queued.push(request);
    return { queued: 1 };
  };
  return { notify, calls, queued, keys: () => queued.map((q) => q.key) };
}

/** The scheduler's page rows and the escalation/reminder audit rows, oldest first. */
export async function schedulerRows(db: Kysely<Database>) {
  const pages = await db
    .selectFrom('incident_pages')
    .select(['incident_id', 'kind', 'step', 'notification_key'])
    .orderBy('sent_at')
    .orderBy('kind')
    .orderBy('step')
    .execute();
  const audit = await db
    .selectFrom('audit_log')
    .select(['action', 'target', 'details'])
    .where('action', 'in', ['incident.escalate', 'incident.remind'])
    .orderBy('id')
    .execute();
  return { pages, audit };
}
