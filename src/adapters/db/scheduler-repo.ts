import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { PageKind } from './schema-scheduler.ts';

/** One page or reminder recorded for an incident. */
export type SentPage = {
  incidentId: string;
  kind: PageKind;
  step: number;
  dueAt: Date;
  sentAt: Date;
  notificationKey: string;
  actor: string;
};

/** The scheduler's leader as it last reported itself. */
export type LeaderRow = { holder: string; since: Date; heartbeatAt: Date };

/** Queries for the scheduler: the pages it sent, the public updates it counts from, and its leader row. */
export function createSchedulerRepo(db: Executor) {
  return {
    /** Records a page; false when it was recorded already (by this or another scheduler). */
    async recordPage(page: SentPage): Promise<boolean> {
      const row = await db
        .insertInto('incident_pages')
        .values({
          incident_id: page.incidentId,
          kind: page.kind,
          step: page.step,
          due_at: page.dueAt,
          sent_at: page.sentAt,
          notification_key: page.notificationKey,
          actor: page.actor,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('step')
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The pages recorded for these incidents, in incident and step order. */
    async pagesOf(incidentIds: readonly string[]): Promise<SentPage[]> {
      if (incidentIds.length === 0) return [];
      const rows = await db
        .selectFrom('incident_pages')
        .selectAll()
        .where('incident_id', 'in', incidentIds)
        .orderBy('incident_id')
        .orderBy('kind')
        .orderBy('step')
        .execute();
      return rows.map((r) => ({
        incidentId: String(r.incident_id),
        kind: r.kind,
        step: r.step,
        dueAt: r.due_at,
        sentAt: r.sent_at,
        notificationKey: r.notification_key,
        actor: r.actor,
      }));
    },

    /** The time of each incident's latest public timeline entry (incidents without one are absent). */
    async lastPublicUpdates(incidentIds: readonly string[]): Promise<Map<string, Date>> {
      if (incidentIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('incident_timeline')
        .select(['incident_id', (eb) => eb.fn.max('at').as('last')])
        .where('incident_id', 'in', incidentIds)
        .where('public', '=', true)
        .groupBy('incident_id')
        .execute();
      return new Map(rows.map((r) => [String(r.incident_id), new Date(r.last)]));
    },

    /** Says `holder` leads at `now`; `since` moves only when the holder changes. */
    async heartbeat(holder: string, now: Date): Promise<void> {
      await db
        .insertInto('scheduler_leader')
        .values({ holder, since: now, heartbeat_at: now })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            holder,
            heartbeat_at: now,
            since: sql<Date>`CASE WHEN scheduler_leader.holder = ${holder} THEN scheduler_leader.since ELSE ${now}::timestamptz END`,
          }),
        )
        .execute();
    },

    /** The leader row, or undefined before any scheduler led. */
    async leader(): Promise<LeaderRow | undefined> {
      const row = await db.selectFrom('scheduler_leader').selectAll().executeTakeFirst();
      return row && { holder: row.holder, since: row.since, heartbeatAt: row.heartbeat_at };
    },
  };
}

/** The scheduler repository's queries. */
export type SchedulerRepo = ReturnType<typeof createSchedulerRepo>;
